/**
 * Admin operations (`DefaultMQAdminExt` / `MQAdminImpl`): create topics, look at routes, offsets and
 * consumer lag, find messages by id or key.
 *
 * Interview questions: "How do you create a topic in production?" — not by auto-creation (off in
 * production) but with UPDATE_AND_CREATE_TOPIC to every master broker of the cluster, which then
 * re-registers with the NameServers; clients see it at their next route refresh. "How do you measure
 * consumer lag?" — per queue, the broker's max offset minus the group's committed offset. "How do you
 * find a message?" — by offset msgId (it encodes the broker address and commit-log offset:
 * VIEW_MESSAGE_BY_ID) or by key through every broker's IndexFile (QUERY_MESSAGE).
 * "死信队列的使用场景？" (What is the dead-letter queue for?) — it parks a group's messages that failed
 * every retry; `queryDeadLetterMessages` reads %DLQ%<group> (a PULL as the tools group TOOLS_CONSUMER,
 * which the broker lets read the write-only DLQ) and `resendDeadLetterMessage` sends one back to its
 * original topic as a new message once the cause is fixed.
 */
import {
  MessageConst,
  PullSysFlag,
  ResponseCode,
  decodeOffsetMessageId,
  decodeStoredMessages,
  formatSocketAddress,
  splitKeys,
  type ClusterInfo,
  type MessageRecord,
  type TopicRouteData,
} from '../protocol';
import { MQClientError, errorMessage } from './client-errors';
import { type ClientLogger } from './client-logger';
import {
  type Message,
  type MessageExt,
  type MessageQueue,
  type SendResult,
  compareMessageQueues,
} from './message';
import { toMessageExt, validateTopic } from './message-encoding';
import { MASTER_ID, buildSubscribeQueues } from './topic-route-cache';
import { MQClientInstance } from './mq-client-instance';
import { Producer } from './producer';
import { buildSubscriptionData } from './subscription';

export interface AdminClientOptions {
  nameServer: string;
  logger?: ClientLogger;
  apiTimeoutMillis?: number;
}

export interface CreateTopicOptions {
  readQueueNums?: number;
  writeQueueNums?: number;
  /** PermName bits (6 = read + write). */
  perm?: number;
  order?: boolean;
  /** One broker only; default: every master of every cluster the NameServer knows. */
  brokerAddr?: string;
  /** How long to wait for the NameServer to show the new route (default 10 s). */
  waitTimeoutMillis?: number;
}

export interface QueueConsumeStats {
  messageQueue: MessageQueue;
  /** The queue's max offset: the next offset a message will get. */
  brokerOffset: number;
  /** The group's committed offset (0 when it has none). */
  consumerOffset: number;
  lag: number;
}

export interface ConsumeStats {
  queues: QueueConsumeStats[];
  totalLag: number;
}

const ROUTE_POLL_MILLIS = 100;

/** RocketMQ's MixAll.TOOLS_CONSUMER_GROUP: admin tools read with it (the broker lets it pull a DLQ). */
export const TOOLS_CONSUMER_GROUP = 'TOOLS_CONSUMER';
/** The producer group that re-sends dead letters. */
export const DLQ_RESEND_PRODUCER_GROUP = 'TOOLS_DLQ_RESEND_PRODUCER';

export function deadLetterTopicOf(consumerGroup: string): string {
  return `%DLQ%${consumerGroup}`;
}

/** Properties the broker or a consumer added on the way to the DLQ; a re-sent message starts clean. */
const NOT_RESENT_PROPERTIES: ReadonlySet<string> = new Set([
  MessageConst.UNIQ_KEY,
  MessageConst.WAIT,
  MessageConst.DELAY,
  MessageConst.TAGS,
  MessageConst.KEYS,
  MessageConst.RETRY_TOPIC,
  MessageConst.REAL_TOPIC,
  MessageConst.REAL_QID,
  MessageConst.RECONSUME_TIME,
  MessageConst.MAX_RECONSUME_TIMES,
  MessageConst.TRAN_MSG,
  MessageConst.PGROUP,
  MessageConst.TRAN_PREPARED_QUEUE_OFFSET,
  MessageConst.TRANSACTION_CHECK_TIMES,
  MessageConst.MIN_OFFSET,
  MessageConst.MAX_OFFSET,
  MessageConst.CONSUME_START_TIME,
  MessageConst.CLUSTER,
  MessageConst.TIMER_DELIVER_MS,
  MessageConst.TIMER_DELAY_SEC,
  MessageConst.TIMER_DELAY_MS,
  MessageConst.TIMER_OUT_MS,
  MessageConst.TIMER_ENQUEUE_MS,
  MessageConst.TIMER_DEQUEUE_MS,
  MessageConst.TIMER_ROLL_TIMES,
  MessageConst.DLQ_ORIGIN_TOPIC,
  MessageConst.DLQ_ORIGIN_MESSAGE_ID,
]);

export interface QueryDeadLetterOptions {
  /** At most this many messages, oldest first (default 32). */
  maxNum?: number;
}

export class AdminClient {
  private readonly instance: MQClientInstance;

  constructor(private readonly options: AdminClientOptions) {
    this.instance = new MQClientInstance({
      nameServer: options.nameServer,
      instanceName: `admin-${process.pid}`,
      logger: options.logger,
      apiTimeoutMillis: options.apiTimeoutMillis,
    });
  }

  /** Closes the connections. */
  close(): void {
    this.instance.shutdown();
  }

  getClusterInfo(): Promise<ClusterInfo> {
    return this.instance.invokeNameServer((addr) => this.instance.api.getBrokerClusterInfo(addr));
  }

  /** The NameServer's route of a topic; undefined when it has none. */
  examineTopicRoute(topic: string): Promise<TopicRouteData | undefined> {
    return this.instance.updateTopicRoute(topic);
  }

  /** UPDATE_AND_CREATE_TOPIC on the target brokers, then waits until the NameServer route shows them all. */
  async createTopic(topic: string, options: CreateTopicOptions = {}): Promise<void> {
    validateTopic(topic);
    const targets = options.brokerAddr !== undefined ? [options.brokerAddr] : await this.allMasterAddrs();
    if (targets.length === 0)
      throw new MQClientError('BROKER_NOT_FOUND', 'the NameServer knows no master broker');
    const header = {
      topic,
      defaultTopic: 'TBW102',
      readQueueNums: options.readQueueNums ?? 8,
      writeQueueNums: options.writeQueueNums ?? 8,
      perm: options.perm ?? 6,
      topicFilterType: 'SINGLE_TAG',
      order: options.order ?? false,
      topicSysFlag: 0,
    };
    await Promise.all(targets.map((addr) => this.instance.api.updateAndCreateTopic(addr, header)));
    await this.waitForRoute(topic, targets, options.waitTimeoutMillis ?? 10_000);
  }

  getMaxOffset(mq: MessageQueue): Promise<number> {
    return this.onBroker(mq, (addr) => this.instance.api.getMaxOffset(addr, mq.topic, mq.queueId));
  }

  getMinOffset(mq: MessageQueue): Promise<number> {
    return this.onBroker(mq, (addr) => this.instance.api.getMinOffset(addr, mq.topic, mq.queueId));
  }

  /** The offset of the message stored closest to `timestamp` (ms). */
  searchOffset(mq: MessageQueue, timestamp: number): Promise<number> {
    return this.onBroker(mq, (addr) => this.instance.api.searchOffset(addr, mq.topic, mq.queueId, timestamp));
  }

  /** The group's committed offset of a queue; -1 when it has none. */
  queryConsumerOffset(group: string, mq: MessageQueue): Promise<number> {
    return this.onBroker(mq, (addr) =>
      this.instance.api.queryConsumerOffset(addr, group, mq.topic, mq.queueId),
    );
  }

  /** Lag per readable queue of `topic` for `group`, from GET_MAX_OFFSET and QUERY_CONSUMER_OFFSET. */
  async examineConsumeStats(group: string, topic: string): Promise<ConsumeStats> {
    const route = await this.requireRoute(topic);
    const queues = buildSubscribeQueues(topic, route).sort(compareMessageQueues);
    const stats = await Promise.all(
      queues.map(async (mq): Promise<QueueConsumeStats> => {
        const [brokerOffset, committed] = await Promise.all([
          this.getMaxOffset(mq),
          this.queryConsumerOffset(group, mq),
        ]);
        const consumerOffset = Math.max(committed, 0);
        return {
          messageQueue: mq,
          brokerOffset,
          consumerOffset,
          lag: Math.max(brokerOffset - consumerOffset, 0),
        };
      }),
    );
    return { queues: stats, totalLag: stats.reduce((sum, queue) => sum + queue.lag, 0) };
  }

  /** The message behind an offset msgId (SendResult.offsetMsgId), read from the broker it names. */
  async viewMessage(offsetMsgId: string): Promise<MessageExt> {
    const { storeHost, commitLogOffset } = decodeOffsetMessageId(offsetMsgId);
    const addr = formatSocketAddress(storeHost);
    const record = await this.instance.api.viewMessage(addr, commitLogOffset);
    return toMessageExt(record, await this.brokerNameOf(addr));
  }

  /** Messages of `topic` whose KEYS contain `key`, from every broker of the topic (newest last). */
  queryMessageByKey(
    topic: string,
    key: string,
    maxNum = 32,
    begin = 0,
    end = Date.now(),
  ): Promise<MessageExt[]> {
    return this.queryMessage(topic, key, maxNum, begin, end, false, (record) =>
      splitKeys(record.properties[MessageConst.KEYS] ?? '').includes(key),
    );
  }

  /** Messages of `topic` with this UNIQ_KEY (SendResult.msgId); more than one after a retried send. */
  queryMessageByUniqKey(topic: string, msgId: string, begin = 0, end = Date.now()): Promise<MessageExt[]> {
    return this.queryMessage(
      topic,
      msgId,
      32,
      begin,
      end,
      true,
      (record) => record.properties[MessageConst.UNIQ_KEY] === msgId,
    );
  }

  /** GET_CONSUMER_LIST_BY_GROUP at a broker of the topic. */
  async getConsumerIdList(group: string, topic: string): Promise<string[]> {
    const route = await this.requireRoute(topic);
    const addr = route.brokerDatas
      .map((broker) => broker.brokerAddrs[MASTER_ID])
      .find((found) => found !== undefined);
    if (addr === undefined) throw new MQClientError('BROKER_NOT_FOUND', `no master for topic ${topic}`);
    return this.instance.api.getConsumerIdList(addr, group);
  }

  /**
   * The messages in a group's dead-letter queue %DLQ%<group>, oldest first. Each keeps its original
   * msgId (UNIQ_KEY), keys, tags and properties; RETRY_TOPIC names the topic it was first sent to,
   * reconsumeTimes how often it failed. Read with PULL_MESSAGE as TOOLS_CONSUMER (no offset committed).
   */
  async queryDeadLetterMessages(group: string, options: QueryDeadLetterOptions = {}): Promise<MessageExt[]> {
    const topic = deadLetterTopicOf(group);
    const maxNum = options.maxNum ?? 32;
    const route = await this.instance.updateTopicRoute(topic);
    if (route === undefined) return [];
    const found: MessageExt[] = [];
    // The DLQ is write-only (perm 2), so its queues are not "subscribe queues": list them from queueDatas.
    for (const queueData of route.queueDatas) {
      for (
        let queueId = 0;
        queueId < Math.max(queueData.readQueueNums, queueData.writeQueueNums);
        queueId++
      ) {
        if (found.length >= maxNum) break;
        const mq = { topic, brokerName: queueData.brokerName, queueId };
        found.push(...(await this.readQueue(mq, maxNum - found.length)));
      }
    }
    return found.sort((a, b) => a.storeTimestamp - b.storeTimestamp).slice(0, maxNum);
  }

  /**
   * Sends a dead letter back to its original topic (RETRY_TOPIC) as a new message: same body, flag,
   * tags, keys and user properties (ORIGIN_MESSAGE_ID still points at the first delivery), a new msgId.
   * `msgId` is the dead letter's msgId (UNIQ_KEY) or its offset msgId.
   */
  async resendDeadLetterMessage(group: string, msgId: string): Promise<SendResult> {
    const dead = await this.findDeadLetter(group, msgId);
    const topic = dead.properties[MessageConst.RETRY_TOPIC];
    if (topic === undefined) {
      throw new MQClientError(
        'ILLEGAL_ARGUMENT',
        `dead letter ${msgId} has no RETRY_TOPIC: its original topic is unknown`,
      );
    }
    const properties: Record<string, string> = {};
    for (const [name, value] of Object.entries(dead.properties)) {
      if (!NOT_RESENT_PROPERTIES.has(name)) properties[name] = value;
    }
    properties[MessageConst.ORIGIN_MESSAGE_ID] ??= dead.msgId;
    const message: Message = {
      topic,
      body: dead.body,
      flag: dead.flag,
      tags: dead.tags,
      keys: dead.keys,
      properties,
    };
    const producer = new Producer({
      nameServer: this.options.nameServer,
      producerGroup: DLQ_RESEND_PRODUCER_GROUP,
      instanceName: `admin-resend-${process.pid}`,
      logger: this.options.logger,
    });
    await producer.start();
    try {
      return await producer.send(message);
    } finally {
      await producer.shutdown();
    }
  }

  // --- internals ---------------------------------------------------------------------------------------

  /** Up to `maxNum` messages of one queue from its min offset: non-suspending pulls, nothing committed. */
  private async readQueue(mq: MessageQueue, maxNum: number): Promise<MessageExt[]> {
    const addr = await this.instance.findBrokerAddr(mq.brokerName, mq.topic);
    const subscription = buildSubscriptionData(mq.topic, '*');
    let offset = await this.instance.api.getMinOffset(addr, mq.topic, mq.queueId);
    const messages: MessageExt[] = [];
    while (messages.length < maxNum) {
      const result = await this.instance.api.pullMessage(
        addr,
        {
          consumerGroup: TOOLS_CONSUMER_GROUP,
          topic: mq.topic,
          queueId: mq.queueId,
          queueOffset: offset,
          maxMsgNums: Math.min(32, maxNum - messages.length),
          sysFlag: PullSysFlag.SUBSCRIPTION,
          commitOffset: 0,
          suspendTimeoutMillis: 0,
          subscription: subscription.subString,
          subVersion: subscription.subVersion,
          expressionType: 'TAG',
        },
        10_000,
      );
      if (result.code !== ResponseCode.SUCCESS || result.body === undefined) break;
      const records = decodeStoredMessages(result.body);
      if (records.length === 0) break;
      for (const record of records) messages.push(toMessageExt(record, mq.brokerName));
      offset = result.header.nextBeginOffset;
    }
    return messages;
  }

  private async findDeadLetter(group: string, msgId: string): Promise<MessageExt> {
    const topic = deadLetterTopicOf(group);
    const byKey = await this.queryMessageByUniqKey(topic, msgId).catch(() => []);
    if (byKey.length > 0) return byKey[byKey.length - 1];
    let viewed: MessageExt | undefined;
    try {
      viewed = await this.viewMessage(msgId);
    } catch (error) {
      this.instance.logger.debug(
        `${msgId} is not an offset msgId of a reachable broker: ${errorMessage(error)}`,
      );
    }
    if (viewed !== undefined && viewed.topic === topic) return viewed;
    // The index may lag behind the store (or be off): scan the queue.
    const scanned = await this.queryDeadLetterMessages(group, { maxNum: 10_000 });
    const match = scanned.find((message) => message.msgId === msgId || message.offsetMsgId === msgId);
    if (match === undefined) throw new MQClientError('ILLEGAL_ARGUMENT', `no message ${msgId} in ${topic}`);
    return match;
  }

  private async queryMessage(
    topic: string,
    key: string,
    maxNum: number,
    beginTimestamp: number,
    endTimestamp: number,
    uniqueKey: boolean,
    matches: (record: MessageRecord) => boolean,
  ): Promise<MessageExt[]> {
    const route = await this.requireRoute(topic);
    const found: MessageExt[] = [];
    await Promise.all(
      route.brokerDatas.map(async (broker) => {
        const addr = broker.brokerAddrs[MASTER_ID] ?? Object.values(broker.brokerAddrs)[0];
        if (addr === undefined) return;
        const records = await this.instance.api.queryMessage(
          addr,
          { topic, key, maxNum, beginTimestamp, endTimestamp },
          uniqueKey,
        );
        // The index is a hash table: a different key with the same hash comes back too.
        for (const record of records) {
          if (record.topic === topic && matches(record)) found.push(toMessageExt(record, broker.brokerName));
        }
      }),
    );
    return found.sort((a, b) => a.storeTimestamp - b.storeTimestamp).slice(0, maxNum);
  }

  private async allMasterAddrs(): Promise<string[]> {
    const info = await this.getClusterInfo();
    return Object.values(info.brokerAddrTable ?? {})
      .map((broker) => broker.brokerAddrs[MASTER_ID])
      .filter((addr): addr is string => addr !== undefined);
  }

  private async brokerNameOf(addr: string): Promise<string> {
    const info = await this.getClusterInfo();
    for (const broker of Object.values(info.brokerAddrTable ?? {})) {
      if (Object.values(broker.brokerAddrs).includes(addr)) return broker.brokerName;
    }
    return '';
  }

  private async waitForRoute(
    topic: string,
    brokerAddrs: readonly string[],
    timeoutMillis: number,
  ): Promise<void> {
    const deadline = Date.now() + timeoutMillis;
    for (;;) {
      const route = await this.instance.updateTopicRoute(topic);
      if (route !== undefined && routeCovers(route, brokerAddrs)) return;
      if (Date.now() >= deadline) {
        throw new MQClientError(
          'TIMEOUT',
          `topic ${topic} did not appear in the NameServer route within ${timeoutMillis} ms`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, ROUTE_POLL_MILLIS));
    }
  }

  private async requireRoute(topic: string): Promise<TopicRouteData> {
    const route = await this.instance.updateTopicRoute(topic);
    if (route === undefined) throw new MQClientError('NO_ROUTE', `no route for topic ${topic}`);
    return route;
  }

  private async onBroker<T>(mq: MessageQueue, call: (addr: string) => Promise<T>): Promise<T> {
    return call(await this.instance.findBrokerAddr(mq.brokerName, mq.topic, false));
  }
}

/** True when every target broker address has queue data for the topic. */
function routeCovers(route: TopicRouteData, brokerAddrs: readonly string[]): boolean {
  const withQueues = new Set(route.queueDatas.map((qd) => qd.brokerName));
  return brokerAddrs.every((addr) =>
    route.brokerDatas.some(
      (broker) => withQueues.has(broker.brokerName) && Object.values(broker.brokerAddrs).includes(addr),
    ),
  );
}
