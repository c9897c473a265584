/**
 * GET_ROUTEINFO_BY_TOPIC (105) response body: which brokers serve a topic and with how many queues.
 *
 * Interview question: "How does a producer choose where to send?" — it fetches this route from a
 * NameServer (and refreshes it every 30 s), lists the writable queues of every master and picks one.
 */

export interface QueueData {
  brokerName: string;
  readQueueNums: number;
  writeQueueNums: number;
  /** PermName bits: READ 4, WRITE 2, INHERIT 1. */
  perm: number;
  topicSysFlag: number;
  /** The pre-4.9.0 spelling, still read by some clients; emitting both is harmless. */
  topicSynFlag?: number;
}

export interface BrokerData {
  cluster: string;
  brokerName: string;
  /**
   * brokerId → "ip:port"; id 0 is the master. The keys are Java Longs, which fastjson's default dialect
   * writes unquoted (see fastjson.ts).
   */
  brokerAddrs: Record<string, string>;
}

export interface TopicRouteData {
  /** "brokerA:4;brokerB:4" for globally ordered topics; omitted when absent. */
  orderTopicConf?: string;
  queueDatas: QueueData[];
  brokerDatas: BrokerData[];
  filterServerTable: Record<string, string[]>;
}
