/**
 * The client's view of the cluster (`MQClientInstance.topicRouteTable` and friends): the route of
 * every topic it uses, the queues derived from each route, and the broker address table.
 *
 * Interview question: "How does a producer choose where to send, and a consumer what to read?" — from
 * the topic route a NameServer returns: a producer may write to the writable queues of brokers that
 * have a master (PERM_WRITE = 2), a consumer reads the readable queues (PERM_READ = 4). Routes are
 * refreshed every 30 s, so a new or dead broker is noticed within that window.
 */
import { type BrokerData, type QueueData, type TopicRouteData } from '../protocol';
import { type MessageQueue, compareMessageQueues } from './message';

export const PermName = { READ: 4, WRITE: 2, INHERIT: 1 } as const;
export const MASTER_ID = '0';

export function isWritable(perm: number): boolean {
  return (perm & PermName.WRITE) !== 0;
}

export function isReadable(perm: number): boolean {
  return (perm & PermName.READ) !== 0;
}

/** The queues a producer may send a topic's messages to. */
export interface TopicPublishInfo {
  topic: string;
  queues: MessageQueue[];
  /** True for globally ordered topics (orderTopicConf). */
  orderTopic: boolean;
}

export class TopicRouteCache {
  private readonly routes = new Map<string, TopicRouteData>();
  private readonly routeSignatures = new Map<string, string>();
  private readonly publishInfo = new Map<string, TopicPublishInfo>();
  private readonly subscribeInfo = new Map<string, MessageQueue[]>();
  /** brokerName → brokerId → "ip:port". */
  private readonly brokerAddrs = new Map<string, Record<string, string>>();

  get topics(): string[] {
    return [...this.routes.keys()];
  }

  getRoute(topic: string): TopicRouteData | undefined {
    return this.routes.get(topic);
  }

  getPublishInfo(topic: string): TopicPublishInfo | undefined {
    return this.publishInfo.get(topic);
  }

  getSubscribeQueues(topic: string): MessageQueue[] | undefined {
    return this.subscribeInfo.get(topic);
  }

  /** Stores a route; returns true when it differs from the cached one. */
  update(topic: string, route: TopicRouteData): boolean {
    const signature = routeSignature(route);
    for (const broker of route.brokerDatas ?? []) {
      this.brokerAddrs.set(broker.brokerName, { ...broker.brokerAddrs });
    }
    if (this.routeSignatures.get(topic) === signature) return false;
    this.routes.set(topic, route);
    this.routeSignatures.set(topic, signature);
    this.publishInfo.set(topic, buildPublishInfo(topic, route));
    this.subscribeInfo.set(topic, buildSubscribeQueues(topic, route));
    return true;
  }

  /**
   * Publish info for a topic the NameServer does not know yet, built from TBW102's route: the first
   * send makes the broker create the topic (autoCreateTopicEnable) with min(4, TBW102's) queues.
   */
  setPublishInfoFromDefaultRoute(
    topic: string,
    defaultRoute: TopicRouteData,
    defaultTopicQueueNums: number,
  ): void {
    for (const broker of defaultRoute.brokerDatas ?? []) {
      this.brokerAddrs.set(broker.brokerName, { ...broker.brokerAddrs });
    }
    const queueDatas = (defaultRoute.queueDatas ?? []).map((qd) => ({
      ...qd,
      readQueueNums: Math.min(defaultTopicQueueNums, qd.readQueueNums),
      writeQueueNums: Math.min(defaultTopicQueueNums, qd.writeQueueNums),
    }));
    this.publishInfo.set(topic, buildPublishInfo(topic, { ...defaultRoute, queueDatas }));
  }

  remove(topic: string): void {
    this.routes.delete(topic);
    this.routeSignatures.delete(topic);
    this.publishInfo.delete(topic);
    this.subscribeInfo.delete(topic);
  }

  /** The master's address of a broker group, or undefined when it has none (master down). */
  findMasterAddr(brokerName: string): string | undefined {
    return this.brokerAddrs.get(brokerName)?.[MASTER_ID];
  }

  /** The master, else any slave: enough for reads such as offsets and lookups. */
  findAnyAddr(brokerName: string): string | undefined {
    const addrs = this.brokerAddrs.get(brokerName);
    if (addrs === undefined) return undefined;
    return addrs[MASTER_ID] ?? Object.values(addrs)[0];
  }

  brokerNames(): string[] {
    return [...this.brokerAddrs.keys()];
  }

  /** Every known broker address (masters and slaves). */
  allBrokerAddrs(): string[] {
    const all: string[] = [];
    for (const addrs of this.brokerAddrs.values()) all.push(...Object.values(addrs));
    return all;
  }

  /**
   * Forgets brokers that no cached route mentions any more; returns their addresses so the caller can
   * close the connections.
   */
  pruneBrokers(): string[] {
    const used = new Set<string>();
    for (const route of this.routes.values()) {
      for (const broker of route.brokerDatas ?? []) used.add(broker.brokerName);
    }
    const removed: string[] = [];
    for (const [brokerName, addrs] of this.brokerAddrs) {
      if (used.has(brokerName)) continue;
      this.brokerAddrs.delete(brokerName);
      removed.push(...Object.values(addrs));
    }
    return removed;
  }
}

export function buildPublishInfo(topic: string, route: TopicRouteData): TopicPublishInfo {
  if (route.orderTopicConf) {
    return { topic, queues: queuesFromOrderConf(topic, route.orderTopicConf), orderTopic: true };
  }
  const brokers = brokersByName(route.brokerDatas);
  const queues: MessageQueue[] = [];
  for (const qd of sortedQueueDatas(route.queueDatas)) {
    if (!isWritable(qd.perm)) continue;
    // A group without a master cannot take writes; its slaves only serve reads.
    if (brokers.get(qd.brokerName)?.brokerAddrs[MASTER_ID] === undefined) continue;
    for (let queueId = 0; queueId < qd.writeQueueNums; queueId++) {
      queues.push({ topic, brokerName: qd.brokerName, queueId });
    }
  }
  return { topic, queues, orderTopic: false };
}

export function buildSubscribeQueues(topic: string, route: TopicRouteData): MessageQueue[] {
  const queues: MessageQueue[] = [];
  for (const qd of sortedQueueDatas(route.queueDatas)) {
    if (!isReadable(qd.perm)) continue;
    for (let queueId = 0; queueId < qd.readQueueNums; queueId++) {
      queues.push({ topic, brokerName: qd.brokerName, queueId });
    }
  }
  return queues.sort(compareMessageQueues);
}

/** "brokerA:4;brokerB:4" → 4 queues on each broker, in that order. */
function queuesFromOrderConf(topic: string, conf: string): MessageQueue[] {
  const queues: MessageQueue[] = [];
  for (const item of conf.split(';')) {
    const [brokerName, count] = item.split(':');
    const n = Number(count);
    if (!brokerName || !Number.isInteger(n)) continue;
    for (let queueId = 0; queueId < n; queueId++) queues.push({ topic, brokerName, queueId });
  }
  return queues;
}

function sortedQueueDatas(queueDatas: QueueData[] | undefined): QueueData[] {
  return [...(queueDatas ?? [])].sort((a, b) =>
    a.brokerName < b.brokerName ? -1 : a.brokerName > b.brokerName ? 1 : 0,
  );
}

function brokersByName(brokerDatas: BrokerData[] | undefined): Map<string, BrokerData> {
  const map = new Map<string, BrokerData>();
  for (const broker of brokerDatas ?? []) map.set(broker.brokerName, broker);
  return map;
}

/** A canonical text of the route so that a refresh can tell "changed" from "same, other key order". */
function routeSignature(route: TopicRouteData): string {
  const queues = sortedQueueDatas(route.queueDatas).map(
    (qd) => `${qd.brokerName}/${qd.readQueueNums}/${qd.writeQueueNums}/${qd.perm}`,
  );
  const brokers = [...(route.brokerDatas ?? [])]
    .map(
      (b) =>
        `${b.brokerName}=${Object.entries(b.brokerAddrs ?? {})
          .sort()
          .join(',')}`,
    )
    .sort();
  return `${route.orderTopicConf ?? ''}|${queues.join(';')}|${brokers.join(';')}`;
}
