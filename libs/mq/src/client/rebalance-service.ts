/**
 * Rebalance (`RebalanceService` + `RebalanceImpl`): deciding which queues this consumer reads.
 *
 * Interview question: "What happens when a consumer joins or leaves a group?" — the broker notices
 * (heartbeat, UNREGISTER_CLIENT or a closed connection) and sends NOTIFY_CONSUMER_IDS_CHANGED to the
 * group; every member then re-reads the member list (GET_CONSUMER_LIST_BY_GROUP) and the topic's
 * readable queues, sorts both and runs the allocation strategy. Queues it lost are dropped after their
 * offset is persisted, so the new owner resumes there; new queues start from the broker's committed
 * offset (or consumeFromWhere). A timer repeats this every 20 s in case a notification was missed.
 * While two members disagree for a moment a queue can be read twice: at-least-once.
 */
import { type MessageModel, type SubscriptionData } from '../protocol';
import { errorMessage } from './client-errors';
import { type ClientLogger } from './client-logger';
import { type MessageQueue, compareMessageQueues, messageQueueKey } from './message';
import { type MQClientInstance } from './mq-client-instance';
import { ProcessQueue } from './process-queue';

export const REBALANCE_INTERVAL_MILLIS = 20_000;
/**
 * First retry after a rebalance left something undone — a topic without a route yet, no member list,
 * or an assigned queue whose start offset could not be read; doubles up to the interval.
 */
export const UNFINISHED_REBALANCE_RETRY_MILLIS = 500;

export type AllocateMessageQueueStrategy = (
  currentCID: string,
  mqAll: readonly MessageQueue[],
  cidAll: readonly string[],
) => MessageQueue[];

export interface RebalanceOptions {
  group: string;
  messageModel: MessageModel;
  instance: MQClientInstance;
  subscriptions: ReadonlyMap<string, SubscriptionData>;
  allocate: AllocateMessageQueueStrategy;
  interval: number;
  logger: ClientLogger;
  /** The offset to start a newly assigned queue from; < 0 = cannot tell now, try at the next rebalance. */
  computePullFromWhere(mq: MessageQueue): Promise<number>;
  /** A queue was taken away: persist its offset and forget it. */
  removeQueue(mq: MessageQueue, pq: ProcessQueue): Promise<void>;
  /**
   * Orderly consumers: LOCK_BATCH_MQ a newly assigned queue before taking it; false = another client
   * still holds it, so skip it until a later rebalance.
   */
  lockQueue?(mq: MessageQueue): Promise<boolean>;
  /** A queue was assigned: start pulling it. */
  startQueue(mq: MessageQueue, pq: ProcessQueue, offset: number): void;
}

interface OwnedQueue {
  mq: MessageQueue;
  pq: ProcessQueue;
}

export class RebalanceService {
  private readonly table = new Map<string, OwnedQueue>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  /**
   * The last rebalance left something undone: a subscribed topic had no route (e.g. auto-created a
   * moment ago), the member list could not be read, or an assigned queue could not start (its offset
   * query failed). Retry sooner than the interval, rather than leave queues unread for 20 s.
   */
  private unfinished = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryDelay = UNFINISHED_REBALANCE_RETRY_MILLIS;

  constructor(private readonly options: RebalanceOptions) {}

  /** The queues this consumer owns right now. */
  get ownedQueues(): MessageQueue[] {
    return [...this.table.values()].map((owned) => owned.mq);
  }

  get processQueues(): ReadonlyMap<string, OwnedQueue> {
    return this.table;
  }

  start(): Promise<void> {
    this.timer = setInterval(() => this.rebalanceNow(), this.options.interval);
    this.timer.unref();
    return this.rebalanceNow();
  }

  /** Runs a rebalance now, or once more right after the one in progress. */
  rebalanceNow(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running !== undefined) {
      this.again = true;
      return this.running;
    }
    this.running = this.runUntilSettled().finally(() => (this.running = undefined));
    return this.running;
  }

  /** Stops the timer and waits for a rebalance in progress; owned queues are left to the caller. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    await this.running;
  }

  private async runUntilSettled(): Promise<void> {
    do {
      this.again = false;
      try {
        await this.doRebalance();
      } catch (error) {
        this.options.logger.warn(`rebalance of ${this.options.group} failed: ${errorMessage(error)}`);
      }
    } while (this.again && !this.stopped);
    this.scheduleRetryIfUnfinished();
  }

  private scheduleRetryIfUnfinished(): void {
    if (!this.unfinished) {
      this.retryDelay = UNFINISHED_REBALANCE_RETRY_MILLIS;
      return;
    }
    if (this.stopped || this.retryTimer !== undefined) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.rebalanceNow();
    }, this.retryDelay);
    this.retryTimer.unref();
    this.retryDelay = Math.min(this.retryDelay * 2, this.options.interval);
  }

  private async doRebalance(): Promise<void> {
    const { subscriptions } = this.options;
    this.unfinished = false;
    for (const topic of subscriptions.keys()) {
      if (this.stopped) return;
      try {
        await this.rebalanceTopic(topic);
      } catch (error) {
        this.unfinished = true;
        this.options.logger.warn(
          `rebalance of ${this.options.group} on ${topic} failed: ${errorMessage(error)}`,
        );
      }
    }
    // Unsubscribed topics: let their queues go.
    for (const [key, owned] of this.table) {
      if (subscriptions.has(owned.mq.topic)) continue;
      await this.drop(key, owned);
    }
  }

  private async rebalanceTopic(topic: string): Promise<void> {
    const { instance } = this.options;
    let mqAll = instance.routes.getSubscribeQueues(topic);
    if (mqAll === undefined || mqAll.length === 0) {
      await instance.updateTopicRoute(topic);
      mqAll = instance.routes.getSubscribeQueues(topic);
    }
    if (mqAll === undefined || mqAll.length === 0) {
      this.unfinished = true;
      this.options.logger.debug(`rebalance: no route for ${topic} yet`);
      return;
    }
    if (this.options.messageModel === 'BROADCASTING') {
      await this.updateProcessQueueTable(topic, mqAll);
      return;
    }
    let cidAll = await this.findConsumerIdList(topic);
    if (!cidAll.includes(instance.clientId)) {
      // The broker has not had our heartbeat yet (the topic's broker was unknown when we sent it).
      await instance.sendHeartbeatToAllBrokers();
      cidAll = await this.findConsumerIdList(topic);
    }
    if (cidAll.length === 0) {
      this.unfinished = true;
      this.options.logger.debug(`rebalance: the broker lists no member of ${this.options.group} yet`);
      return;
    }
    const sortedQueues = [...mqAll].sort(compareMessageQueues);
    const sortedIds = [...cidAll].sort();
    await this.updateProcessQueueTable(
      topic,
      this.options.allocate(instance.clientId, sortedQueues, sortedIds),
    );
  }

  /** GET_CONSUMER_LIST_BY_GROUP to one broker of the topic (every broker gets our heartbeats). */
  private async findConsumerIdList(topic: string): Promise<string[]> {
    const { instance, group } = this.options;
    const route = instance.routes.getRoute(topic);
    const brokers = route?.brokerDatas ?? [];
    if (brokers.length === 0) return [];
    const broker = brokers[Math.floor(Math.random() * brokers.length)];
    const addr = instance.routes.findAnyAddr(broker.brokerName);
    if (addr === undefined) return [];
    return instance.api.getConsumerIdList(addr, group);
  }

  private async updateProcessQueueTable(topic: string, assigned: readonly MessageQueue[]): Promise<void> {
    const wanted = new Map(assigned.map((mq) => [messageQueueKey(mq), mq]));
    for (const [key, owned] of this.table) {
      if (owned.mq.topic !== topic || wanted.has(key)) continue;
      await this.drop(key, owned);
    }
    for (const [key, mq] of wanted) {
      if (this.table.has(key) || this.stopped) continue;
      const locked = this.options.lockQueue === undefined ? false : await this.options.lockQueue(mq);
      if (this.options.lockQueue !== undefined && !locked) {
        this.options.logger.info(
          `rebalance: ${key} is still locked by another consumer, skipping it for now`,
        );
        continue;
      }
      const offset = await this.options.computePullFromWhere(mq);
      if (offset < 0 || this.stopped) {
        this.options.logger.warn(`rebalance: no start offset for ${key} now, will retry`);
        this.unfinished = true;
        continue;
      }
      const pq = new ProcessQueue();
      if (locked) {
        pq.locked = true;
        pq.lastLockTimestamp = Date.now();
      }
      this.table.set(key, { mq, pq });
      this.options.logger.info(`rebalance: ${this.options.group} now owns ${key} from offset ${offset}`);
      this.options.startQueue(mq, pq, offset);
    }
  }

  private async drop(key: string, owned: OwnedQueue): Promise<void> {
    owned.pq.dropped = true;
    this.table.delete(key);
    this.options.logger.info(`rebalance: ${this.options.group} gives up ${key}`);
    await this.options.removeQueue(owned.mq, owned.pq);
  }
}
