/**
 * The pull loop behind the push consumer (`PullMessageService` + `PullAPIWrapper`): one long-polling
 * PULL_MESSAGE at a time per assigned queue.
 *
 * Interview question: "Is RocketMQ push or pull?" — pull, dressed as push: the consumer asks for up to
 * 32 messages with the SUSPEND flag; when there is nothing new the broker holds the request for up to
 * 15 s and answers as soon as a message arrives, so delivery is near-instant without busy polling.
 * Flow control is on the client: while a queue holds more than 1000 messages or 100 MiB not yet
 * consumed, its next pull waits 50 ms. An orderly clustering consumer pulls a queue only while it holds
 * the queue's broker lock, and its first pull after locking starts at the offset the broker has (the
 * previous owner persisted it before unlocking).
 */
import { type MessageModel, type PullMessageRequestHeader, type SubscriptionData } from '../protocol';
// Hot-path values come straight from their modules: through the '../protocol' barrel every use is a
// chain of CommonJS getters (see apps/broker/src/store/protocol.ts).
import { decodeStoredMessages } from '../protocol/message/stored-message-codec';
import { PullSysFlag } from '../protocol/remoting/headers/pull-message.header';
import { ResponseCode } from '../protocol/remoting/response-code';
import { MQBrokerError, errorMessage } from './client-errors';
import { type ClientLogger } from './client-logger';
import { type MessageExt, type MessageQueue, messageQueueKey } from './message';
import { toMessageExt } from './message-encoding';
import { type MQClientInstance } from './mq-client-instance';
import { type OffsetStore } from './offset-store';
import { type ProcessQueue } from './process-queue';
import { matchesTags } from './subscription';

/** How long the broker may hold a pull (BROKER_SUSPEND_MAX_TIME_MILLIS). */
export const BROKER_SUSPEND_MAX_TIME_MILLIS = 15_000;
/** RPC timeout of a long-polling pull (CONSUMER_TIMEOUT_MILLIS_WHEN_SUSPEND). */
export const CONSUMER_TIMEOUT_MILLIS_WHEN_SUSPEND = 30_000;
export const PULL_TIME_DELAY_MILLS_WHEN_FLOW_CONTROL = 50;
export const PULL_TIME_DELAY_MILLS_WHEN_EXCEPTION = 3000;
export const PULL_TIME_DELAY_MILLS_WHEN_BROKER_FLOW_CONTROL = 20;

export interface PullServiceOptions {
  group: string;
  messageModel: MessageModel;
  instance: MQClientInstance;
  offsetStore: OffsetStore;
  subscriptions: ReadonlyMap<string, SubscriptionData>;
  retryTopic: string;
  pullBatchSize: number;
  pullThresholdForQueue: number;
  pullThresholdSizeForQueue: number;
  logger: ClientLogger;
  /** Orderly clustering consumption: pull only locked queues, re-read the offset after locking. */
  orderly?: boolean;
  /** The broker's committed offset (or consumeFromWhere) of a queue; < 0 when it cannot be read now. */
  computePullFromWhere?(mq: MessageQueue): Promise<number>;
  /** Hands pulled messages to consumption. */
  deliver(messages: MessageExt[], pq: ProcessQueue, mq: MessageQueue): void;
  /** False once the consumer is stopping: loops end after their current pull. */
  isRunning(): boolean;
}

export class PullMessageService {
  private readonly sleepers = new Set<{ timer: NodeJS.Timeout; wake: () => void }>();

  constructor(private readonly options: PullServiceOptions) {}

  /** Starts the pull loop of one queue; it ends by itself when the queue is dropped or the consumer stops. */
  start(mq: MessageQueue, pq: ProcessQueue, offset: number): void {
    void this.loop(mq, pq, offset);
  }

  /** Cuts short every back-off sleep (used at shutdown). */
  wakeAll(): void {
    for (const sleeper of this.sleepers) {
      clearTimeout(sleeper.timer);
      sleeper.wake();
    }
    this.sleepers.clear();
  }

  private active(pq: ProcessQueue): boolean {
    return !pq.dropped && this.options.isRunning();
  }

  private async loop(mq: MessageQueue, pq: ProcessQueue, startOffset: number): Promise<void> {
    const { options } = this;
    let nextOffset = startOffset;
    const needsLock = options.orderly === true && options.messageModel === 'CLUSTERING';
    let previouslyLocked = false;
    while (this.active(pq)) {
      if (needsLock) {
        if (!pq.locked) {
          await this.sleep(PULL_TIME_DELAY_MILLS_WHEN_EXCEPTION);
          continue;
        }
        if (!previouslyLocked && options.computePullFromWhere !== undefined) {
          const offset = await options.computePullFromWhere(mq);
          if (offset < 0) {
            await this.sleep(PULL_TIME_DELAY_MILLS_WHEN_EXCEPTION);
            continue;
          }
          nextOffset = offset;
        }
        previouslyLocked = true;
      }
      if (pq.msgCount > options.pullThresholdForQueue || pq.msgSize > options.pullThresholdSizeForQueue) {
        await this.sleep(PULL_TIME_DELAY_MILLS_WHEN_FLOW_CONTROL);
        continue;
      }
      const subscription = options.subscriptions.get(mq.topic);
      if (subscription === undefined) {
        await this.sleep(PULL_TIME_DELAY_MILLS_WHEN_EXCEPTION);
        continue;
      }
      try {
        nextOffset = await this.pullOnce(mq, pq, subscription, nextOffset);
      } catch (error) {
        if (!this.active(pq)) break;
        options.logger.warn(`pull ${messageQueueKey(mq)} at ${nextOffset} failed: ${errorMessage(error)}`);
        const brokerBusy = error instanceof MQBrokerError && error.responseCode === ResponseCode.FLOW_CONTROL;
        await this.sleep(
          brokerBusy ? PULL_TIME_DELAY_MILLS_WHEN_BROKER_FLOW_CONTROL : PULL_TIME_DELAY_MILLS_WHEN_EXCEPTION,
        );
      }
    }
  }

  /** One PULL_MESSAGE round trip; returns the offset to pull from next. */
  private async pullOnce(
    mq: MessageQueue,
    pq: ProcessQueue,
    subscription: SubscriptionData,
    offset: number,
  ): Promise<number> {
    const { options } = this;
    const instance = options.instance;
    const addr =
      instance.routes.findMasterAddr(mq.brokerName) ??
      (await instance.findBrokerAddr(mq.brokerName, mq.topic));
    const commitOffset = options.messageModel === 'CLUSTERING' ? options.offsetStore.memoryOffset(mq) : 0;
    let sysFlag = PullSysFlag.SUSPEND | PullSysFlag.SUBSCRIPTION;
    if (commitOffset > 0) sysFlag |= PullSysFlag.COMMIT_OFFSET;
    const header: PullMessageRequestHeader = {
      consumerGroup: options.group,
      topic: mq.topic,
      queueId: mq.queueId,
      queueOffset: offset,
      maxMsgNums: options.pullBatchSize,
      sysFlag,
      commitOffset: Math.max(commitOffset, 0),
      suspendTimeoutMillis: BROKER_SUSPEND_MAX_TIME_MILLIS,
      subscription: subscription.subString,
      subVersion: subscription.subVersion,
      expressionType: 'TAG',
    };
    pq.lastPullTimestamp = Date.now();
    const result = await instance.api.pullMessage(addr, header, CONSUMER_TIMEOUT_MILLIS_WHEN_SUSPEND);
    // A pull answered after a rebalance or shutdown: the messages are someone else's now.
    if (!this.active(pq)) return offset;
    const next = result.header.nextBeginOffset;
    switch (result.code) {
      case ResponseCode.SUCCESS:
        this.onFound(mq, pq, subscription, result.body);
        return next;
      case ResponseCode.PULL_NOT_FOUND:
      case ResponseCode.PULL_RETRY_IMMEDIATELY:
        // Nothing in flight: the scanned (filtered-out) range counts as consumed.
        if (pq.msgCount === 0) options.offsetStore.updateOffset(mq, next, true);
        return next;
      default:
        // PULL_OFFSET_MOVED: our offset is outside the queue (deleted or never existed); jump to where
        // the broker says the data is and record it, so a restart does not ask for it again.
        options.logger.warn(`offset ${offset} of ${messageQueueKey(mq)} is illegal, moving to ${next}`);
        options.offsetStore.updateOffset(mq, next, false);
        await options.offsetStore.persist(mq);
        return next;
    }
  }

  private onFound(
    mq: MessageQueue,
    pq: ProcessQueue,
    subscription: SubscriptionData,
    body: Buffer | undefined,
  ): void {
    if (body === undefined) return;
    const records = decodeStoredMessages(body);
    const messages: MessageExt[] = [];
    const checkTags = subscription.tagsSet.length > 0;
    for (const record of records) {
      const message = toMessageExt(record, mq.brokerName, this.options.retryTopic);
      // The broker filters by tag hash; hashes collide, so compare the strings too.
      if (checkTags && !matchesTags(subscription, message.tags)) continue;
      messages.push(message);
    }
    if (messages.length === 0) {
      if (pq.msgCount === 0 && records.length > 0) {
        this.options.offsetStore.updateOffset(mq, records[records.length - 1].queueOffset + 1, true);
      }
      return;
    }
    pq.putMessages(messages);
    this.options.deliver(messages, pq, mq);
  }

  private sleep(millis: number): Promise<void> {
    return new Promise((resolve) => {
      const sleeper = {
        timer: setTimeout(() => {
          this.sleepers.delete(sleeper);
          resolve();
        }, millis),
        wake: resolve,
      };
      this.sleepers.add(sleeper);
    });
  }
}
