/**
 * HEART_BEAT (34) body: who this client is and which producer/consumer groups it runs, with every
 * subscription. The broker keeps subscriptions from here, so by default a pull request carries none.
 *
 * Interview question: "How does the broker know a consumer's subscription and whether it is alive?" —
 * from this heartbeat, sent every 30 s; a client silent for 120 s is dropped and its group rebalances.
 */

/** CONSUME_PASSIVELY = push consumer, CONSUME_ACTIVELY = pull consumer. */
export type ConsumeType = 'CONSUME_PASSIVELY' | 'CONSUME_ACTIVELY';

export type MessageModel = 'CLUSTERING' | 'BROADCASTING';

/** Only used when the broker has no offset for the group; older Java names are still accepted. */
export type ConsumeFromWhere =
  | 'CONSUME_FROM_LAST_OFFSET'
  | 'CONSUME_FROM_FIRST_OFFSET'
  | 'CONSUME_FROM_TIMESTAMP'
  | 'CONSUME_FROM_LAST_OFFSET_AND_FROM_MIN_WHEN_BOOT_FIRST'
  | 'CONSUME_FROM_MIN_OFFSET'
  | 'CONSUME_FROM_MAX_OFFSET';

export type ExpressionType = 'TAG' | 'SQL92';

export interface SubscriptionData {
  classFilterMode: boolean;
  topic: string;
  /** "*", "tagA || tagB" or an SQL92 expression. */
  subString: string;
  tagsSet: string[];
  /** Java String.hashCode of each tag, the value the consume queue stores. */
  codeSet: number[];
  /** Client timestamp; a larger value replaces the registered subscription. */
  subVersion: number;
  expressionType?: ExpressionType;
}

export interface ConsumerData {
  groupName: string;
  consumeType: ConsumeType;
  messageModel: MessageModel;
  consumeFromWhere: ConsumeFromWhere;
  subscriptionDataSet: SubscriptionData[];
  unitMode: boolean;
}

export interface ProducerData {
  groupName: string;
}

export interface HeartbeatData {
  /** "<ip>@<instanceName>[@unitName]". */
  clientID: string;
  producerDataSet: ProducerData[];
  consumerDataSet: ConsumerData[];
}
