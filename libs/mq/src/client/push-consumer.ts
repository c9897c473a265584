/**
 * The push consumer (`DefaultMQPushConsumer`): subscribe, register a listener, start — and behind it
 * heartbeat, rebalance, one long-polling pull loop per owned queue, bounded concurrent consumption and
 * offset commits.
 *
 * Interview questions: "Clustering or broadcasting?" — CLUSTERING splits the queues among the group
 * and keeps offsets on the broker, so each message is handled by one member; BROADCASTING gives every
 * member every queue and keeps offsets in a local file. "Does RocketMQ deliver exactly once?" — no:
 * offsets are committed after consumption, periodically, at the smallest unfinished offset, so a crash
 * or rebalance redelivers a window of messages; listeners must be idempotent.
 *
 * Two listener kinds, as in Java: `registerMessageListener` (concurrent; failures go through
 * %RETRY%<group> with growing delays, then the DLQ) and `registerMessageListenerOrderly` (one call per
 * queue at a time under the queue's broker lock; failures suspend the queue and retry in place).
 */
import {
  type ConsumeFromWhere,
  type ConsumerData,
  type MessageModel,
  type SubscriptionData,
} from '../protocol';
import { MQClientError, errorMessage } from './client-errors';
import { type ClientLogger, silentClientLogger } from './client-logger';
import { allocateMessageQueueAveragely } from './allocate-message-queue-averagely';
import {
  ConsumeMessageConcurrentlyService,
  DEFAULT_MAX_RECONSUME_TIMES,
  LOCAL_RECONSUME_DELAY_MILLIS,
  type MessageListenerConcurrently,
} from './consume-message-concurrently.service';
import {
  ConsumeMessageOrderlyService,
  DEFAULT_ORDERLY_MAX_RECONSUME_TIMES,
  MAX_TIME_CONSUME_CONTINUOUSLY_MILLIS,
  SUSPEND_CURRENT_QUEUE_TIME_MILLIS,
  type MessageListenerOrderly,
} from './consume-message-orderly.service';
import { InnerProducerLease } from './client-inner-producer';
import { type Message, type SendResult } from './message';
import { LocalFileOffsetStore, defaultOffsetStoreDir } from './local-file-offset-store';
import { type MessageQueue, messageQueueKey } from './message';
import { MQClientInstance } from './mq-client-instance';
import { OFFSET_NOT_FOUND, OFFSET_READ_FAILED, type OffsetStore } from './offset-store';
import { type ProcessQueue } from './process-queue';
import { PullMessageService } from './pull-message.service';
import {
  type AllocateMessageQueueStrategy,
  REBALANCE_INTERVAL_MILLIS,
  RebalanceService,
} from './rebalance-service';
import {
  REBALANCE_LOCK_INTERVAL_MILLIS,
  REBALANCE_LOCK_MAX_LIVE_TIME_MILLIS,
  RebalanceLockService,
} from './rebalance-lock.service';
import { RemoteBrokerOffsetStore } from './remote-broker-offset-store';
import { buildSubscriptionData, isRetryTopic, retryTopicOf } from './subscription';

export type PushConsumerFromWhere = Extract<
  ConsumeFromWhere,
  'CONSUME_FROM_LAST_OFFSET' | 'CONSUME_FROM_FIRST_OFFSET' | 'CONSUME_FROM_TIMESTAMP'
>;

export interface PushConsumerOptions {
  nameServer: string;
  consumerGroup: string;
  /** Two consumers of one group in one process need different instance names (default: the pid). */
  instanceName?: string;
  messageModel?: MessageModel;
  /** Where a group with no committed offset starts (default CONSUME_FROM_LAST_OFFSET). */
  consumeFromWhere?: PushConsumerFromWhere;
  /** For CONSUME_FROM_TIMESTAMP, epoch ms (default: 30 minutes ago). */
  consumeTimestamp?: number;
  /** Listener calls running at once (Java: consumeThreadMax 20). */
  consumeConcurrency?: number;
  consumeMessageBatchMaxSize?: number;
  pullBatchSize?: number;
  pullThresholdForQueue?: number;
  pullThresholdSizeForQueue?: number;
  persistConsumerOffsetInterval?: number;
  rebalanceInterval?: number;
  /**
   * Concurrent: sent with CONSUMER_SEND_MSG_BACK; after this many retries the broker moves a message to
   * the DLQ (default 16). Orderly: local retries before the message is sent toward the DLQ (default
   * unlimited, Java's Integer.MAX_VALUE).
   */
  maxReconsumeTimes?: number;
  /** Concurrent: a listener call running longer than this has its messages sent back (default 15 min). */
  consumeTimeoutMillis?: number;
  /** Concurrent: delay before a message the broker could not take back is consumed again (5000). */
  localReconsumeDelayMillis?: number;
  /** Orderly: how long a queue pauses after SUSPEND_CURRENT_QUEUE_A_MOMENT (1000). */
  suspendCurrentQueueTimeMillis?: number;
  /** Orderly: one queue's run yields after this long (60 s). */
  maxTimeConsumeContinuouslyMillis?: number;
  /** Orderly: how often held queue locks are renewed (20 s). */
  lockIntervalMillis?: number;
  /** Orderly: our own lock counts as stale after this long without renewal (30 s). */
  lockMaxLiveTimeMillis?: number;
  /** BROADCASTING only: directory of the local offset files (default ~/.rocketmq_offsets). */
  offsetStoreDir?: string;
  allocateStrategy?: AllocateMessageQueueStrategy;
  /** How long shutdown waits for in-flight listener calls (default 30 s). */
  awaitTerminationMillis?: number;
  logger?: ClientLogger;
}

type ConsumerState = 'CREATED' | 'RUNNING' | 'STOPPING' | 'SHUT_DOWN';

type RegisteredListener =
  | { orderly: false; listener: MessageListenerConcurrently }
  | { orderly: true; listener: MessageListenerOrderly };

/** What the pull loop and shutdown need from either consume service. */
interface ConsumeService {
  start(): void;
  submit: ConsumeMessageConcurrentlyService['submit'];
  whenIdle(): Promise<void>;
  stop(): void;
}

export class PushConsumer {
  readonly consumerGroup: string;
  private readonly messageModel: MessageModel;
  private readonly consumeFromWhere: PushConsumerFromWhere;
  private readonly logger: ClientLogger;
  private readonly subscriptions = new Map<string, SubscriptionData>();
  private listener: RegisteredListener | undefined;
  private instance: MQClientInstance | undefined;
  private offsetStore: OffsetStore | undefined;
  private consumeService: ConsumeService | undefined;
  private orderlyService: ConsumeMessageOrderlyService | undefined;
  private lockService: RebalanceLockService | undefined;
  private innerProducer: InnerProducerLease | undefined;
  private pullService: PullMessageService | undefined;
  private rebalance: RebalanceService | undefined;
  private persistTimer: NodeJS.Timeout | undefined;
  private state: ConsumerState = 'CREATED';

  constructor(private readonly options: PushConsumerOptions) {
    if (!options.consumerGroup) throw new MQClientError('ILLEGAL_ARGUMENT', 'consumerGroup is required');
    this.consumerGroup = options.consumerGroup;
    this.messageModel = options.messageModel ?? 'CLUSTERING';
    this.consumeFromWhere = options.consumeFromWhere ?? 'CONSUME_FROM_LAST_OFFSET';
    this.logger = options.logger ?? silentClientLogger;
  }

  get clientId(): string | undefined {
    return this.instance?.clientId;
  }

  /** The queues this consumer currently owns (after rebalance). */
  get assignedQueues(): MessageQueue[] {
    return this.rebalance?.ownedQueues ?? [];
  }

  /** `subExpression`: '*' for everything, or tags 'TagA || TagB'. May be called before or after start. */
  subscribe(topic: string, subExpression = '*'): void {
    if (this.state === 'STOPPING' || this.state === 'SHUT_DOWN')
      throw new MQClientError('SHUT_DOWN', 'consumer is shut down');
    this.subscriptions.set(topic, buildSubscriptionData(topic, subExpression));
    if (this.state === 'RUNNING') void this.onSubscriptionChanged(topic);
  }

  unsubscribe(topic: string): void {
    this.subscriptions.delete(topic);
    if (this.state === 'RUNNING') void this.onSubscriptionChanged(undefined);
  }

  /** Concurrent consumption: 'CONSUME_SUCCESS' or 'RECONSUME_LATER' (a thrown error counts as the latter). */
  registerMessageListener(listener: MessageListenerConcurrently): void {
    this.listener = { orderly: false, listener };
  }

  /**
   * Orderly consumption: each queue is consumed serially, in offset order, while this consumer holds the
   * queue's broker lock. Return 'SUCCESS' or 'SUSPEND_CURRENT_QUEUE_A_MOMENT' (a thrown error counts as
   * the latter): the queue pauses and the same messages are consumed again.
   */
  registerMessageListenerOrderly(listener: MessageListenerOrderly): void {
    this.listener = { orderly: true, listener };
  }

  /** True when the registered listener is orderly. */
  get orderly(): boolean {
    return this.listener?.orderly === true;
  }

  async start(): Promise<void> {
    if (this.state !== 'CREATED') throw new MQClientError('ALREADY_STARTED', `consumer is ${this.state}`);
    const registered = this.listener;
    if (registered === undefined)
      throw new MQClientError('ILLEGAL_ARGUMENT', 'registerMessageListener before start');
    const instance = MQClientInstance.getOrCreate(this.options);
    const retryTopic = retryTopicOf(this.consumerGroup);
    if (this.messageModel === 'CLUSTERING')
      this.subscriptions.set(retryTopic, buildSubscriptionData(retryTopic, '*'));
    const offsetStore = this.createOffsetStore(instance);
    await offsetStore.load();
    instance.registerConsumer({
      group: this.consumerGroup,
      consumerData: () => this.consumerData(),
      subscribedTopics: () => this.subscriptions.keys(),
      rebalanceNow: () => void this.rebalance?.rebalanceNow(),
    });
    this.instance = instance;
    this.offsetStore = offsetStore;
    const innerProducer = new InnerProducerLease(this.options, instance);
    this.innerProducer = innerProducer;
    const publish = async (message: Message): Promise<SendResult> =>
      (await innerProducer.producer()).send(message);
    const orderlyClustering = registered.orderly && this.messageModel === 'CLUSTERING';
    if (orderlyClustering) {
      this.lockService = new RebalanceLockService({
        group: this.consumerGroup,
        instance,
        logger: this.logger,
        lockIntervalMillis: this.options.lockIntervalMillis ?? REBALANCE_LOCK_INTERVAL_MILLIS,
        ownedQueues: () => this.rebalance?.processQueues.values() ?? [],
      });
    }
    const lockService = this.lockService;
    if (registered.orderly) {
      this.orderlyService = new ConsumeMessageOrderlyService({
        group: this.consumerGroup,
        messageModel: this.messageModel,
        listener: registered.listener,
        consumeMessageBatchMaxSize: this.options.consumeMessageBatchMaxSize ?? 1,
        maxReconsumeTimes: this.options.maxReconsumeTimes ?? DEFAULT_ORDERLY_MAX_RECONSUME_TIMES,
        suspendCurrentQueueTimeMillis:
          this.options.suspendCurrentQueueTimeMillis ?? SUSPEND_CURRENT_QUEUE_TIME_MILLIS,
        maxTimeConsumeContinuouslyMillis:
          this.options.maxTimeConsumeContinuouslyMillis ?? MAX_TIME_CONSUME_CONTINUOUSLY_MILLIS,
        lockMaxLiveTimeMillis: this.options.lockMaxLiveTimeMillis ?? REBALANCE_LOCK_MAX_LIVE_TIME_MILLIS,
        offsetStore,
        logger: this.logger,
        lockQueue: (mq, pq) => lockService?.lock(mq, pq) ?? Promise.resolve(true),
        publish,
      });
      this.consumeService = this.orderlyService;
    } else {
      this.consumeService = new ConsumeMessageConcurrentlyService({
        group: this.consumerGroup,
        messageModel: this.messageModel,
        listener: registered.listener,
        consumeConcurrency: this.options.consumeConcurrency ?? 20,
        consumeMessageBatchMaxSize: this.options.consumeMessageBatchMaxSize ?? 1,
        maxReconsumeTimes: this.options.maxReconsumeTimes ?? DEFAULT_MAX_RECONSUME_TIMES,
        offsetStore,
        instance,
        logger: this.logger,
        publish,
        localReconsumeDelayMillis: this.options.localReconsumeDelayMillis ?? LOCAL_RECONSUME_DELAY_MILLIS,
        consumeTimeoutMillis: this.options.consumeTimeoutMillis,
        processQueues: () => this.rebalance?.processQueues.values() ?? [],
      });
    }
    const consumeService = this.consumeService;
    this.pullService = new PullMessageService({
      group: this.consumerGroup,
      messageModel: this.messageModel,
      instance,
      offsetStore,
      subscriptions: this.subscriptions,
      retryTopic,
      pullBatchSize: this.options.pullBatchSize ?? 32,
      pullThresholdForQueue: this.options.pullThresholdForQueue ?? 1000,
      pullThresholdSizeForQueue: this.options.pullThresholdSizeForQueue ?? 100 * 1024 * 1024,
      logger: this.logger,
      deliver: (messages, pq, mq) => consumeService.submit(messages, pq, mq),
      isRunning: () => this.state === 'RUNNING',
      orderly: registered.orderly,
      computePullFromWhere: (mq) => this.computePullFromWhere(mq),
    });
    const pullService = this.pullService;
    this.rebalance = new RebalanceService({
      group: this.consumerGroup,
      messageModel: this.messageModel,
      instance,
      subscriptions: this.subscriptions,
      allocate: this.options.allocateStrategy ?? allocateMessageQueueAveragely,
      interval: this.options.rebalanceInterval ?? REBALANCE_INTERVAL_MILLIS,
      logger: this.logger,
      computePullFromWhere: (mq) => this.computePullFromWhere(mq),
      lockQueue: lockService === undefined ? undefined : (mq) => lockService.lock(mq),
      removeQueue: (mq, pq) => this.removeQueue(mq, pq),
      startQueue: (mq, pq, offset) => pullService.start(mq, pq, offset),
    });
    this.state = 'RUNNING';
    instance.start();
    await this.refreshRoutes();
    await instance.sendHeartbeatToAllBrokers();
    this.persistTimer = setInterval(
      () => void this.persistOffsets(),
      this.options.persistConsumerOffsetInterval ?? 5000,
    );
    this.persistTimer.unref();
    consumeService.start();
    await this.rebalance.start();
    lockService?.start();
  }

  /**
   * Graceful: stop pulling, let in-flight listener calls finish, persist offsets, leave the group
   * (UNREGISTER_CLIENT, which makes the broker tell the others to rebalance).
   */
  async shutdown(): Promise<void> {
    if (this.state !== 'RUNNING') return;
    this.state = 'STOPPING';
    if (this.persistTimer !== undefined) clearInterval(this.persistTimer);
    await this.rebalance?.stop();
    this.lockService?.stop();
    this.pullService?.wakeAll();
    // Orderly: no new call may start (the rest of a queue waits for its next owner); concurrent: the
    // messages already handed to consumption are finished first.
    if (this.orderlyService !== undefined) this.orderlyService.stop();
    await this.waitForConsumption();
    this.consumeService?.stop();
    await this.persistOffsets();
    // Locks go only after the offsets are on the broker, so the next owner starts where we stopped.
    await this.lockService?.unlock(this.assignedQueues, true);
    for (const { pq } of this.rebalance?.processQueues.values() ?? []) pq.dropped = true;
    this.state = 'SHUT_DOWN';
    await this.innerProducer?.release();
    await this.instance?.unregisterConsumer(this.consumerGroup);
  }

  // --- internals ---------------------------------------------------------------------------------------

  private consumerData(): ConsumerData {
    return {
      groupName: this.consumerGroup,
      consumeType: 'CONSUME_PASSIVELY',
      messageModel: this.messageModel,
      consumeFromWhere: this.consumeFromWhere,
      subscriptionDataSet: [...this.subscriptions.values()],
      unitMode: false,
    };
  }

  private createOffsetStore(instance: MQClientInstance): OffsetStore {
    if (this.messageModel === 'CLUSTERING') return new RemoteBrokerOffsetStore(instance, this.consumerGroup);
    const dir = this.options.offsetStoreDir ?? defaultOffsetStoreDir();
    return new LocalFileOffsetStore(dir, instance.clientId, this.consumerGroup, this.logger);
  }

  private async refreshRoutes(): Promise<void> {
    const instance = this.running();
    await Promise.all(
      [...this.subscriptions.keys()].map((topic) =>
        instance.updateTopicRoute(topic).catch((error: unknown) => {
          this.logger.warn(`route of ${topic} failed: ${errorMessage(error)}`);
        }),
      ),
    );
  }

  private async onSubscriptionChanged(topic: string | undefined): Promise<void> {
    const instance = this.running();
    if (topic !== undefined) await instance.updateTopicRoute(topic).catch(() => undefined);
    await instance.sendHeartbeatToAllBrokers();
    await this.rebalance?.rebalanceNow();
  }

  /**
   * Where a newly assigned queue starts: the committed offset if the store has one, else
   * consumeFromWhere (§9.5 of the fact sheet); < 0 when the store could not be reached.
   */
  private async computePullFromWhere(mq: MessageQueue): Promise<number> {
    const store = this.offsetStore;
    if (store === undefined) return OFFSET_READ_FAILED;
    const stored = await store.readOffset(mq, 'STORE');
    if (stored !== OFFSET_NOT_FOUND) return stored;
    try {
      const offset = await this.offsetFromWhere(mq);
      store.updateOffset(mq, offset, false);
      return offset;
    } catch (error) {
      this.logger.warn(`no start offset for ${messageQueueKey(mq)}: ${errorMessage(error)}`);
      return OFFSET_READ_FAILED;
    }
  }

  private async offsetFromWhere(mq: MessageQueue): Promise<number> {
    const instance = this.running();
    const retry = isRetryTopic(mq.topic);
    const addr = () => instance.findBrokerAddr(mq.brokerName, mq.topic, false);
    switch (this.consumeFromWhere) {
      case 'CONSUME_FROM_FIRST_OFFSET':
        return 0;
      case 'CONSUME_FROM_TIMESTAMP': {
        if (retry) return instance.api.getMaxOffset(await addr(), mq.topic, mq.queueId);
        const timestamp = this.options.consumeTimestamp ?? Date.now() - 30 * 60 * 1000;
        return instance.api.searchOffset(await addr(), mq.topic, mq.queueId, timestamp);
      }
      default:
        if (retry) return 0;
        return instance.api.getMaxOffset(await addr(), mq.topic, mq.queueId);
    }
  }

  /**
   * Rebalance took the queue away: commit what was consumed so the next owner starts there. Orderly:
   * first let the call in progress on that queue finish, and release the lock only after the offset is
   * on the broker — otherwise the next owner could consume the same messages at the same time.
   */
  private async removeQueue(mq: MessageQueue, pq: ProcessQueue): Promise<void> {
    const store = this.offsetStore;
    if (store === undefined) return;
    const orderly = this.orderlyService;
    const lockService = this.lockService;
    if (orderly === undefined || lockService === undefined) {
      await store.persist(mq);
      store.removeOffset(mq);
      return;
    }
    const release = async (): Promise<void> => {
      // Assigned back to us meanwhile: the new process queue owns the offset entry and the lock.
      if (this.rebalance?.processQueues.has(messageQueueKey(mq))) return;
      await store.persist(mq);
      store.removeOffset(mq);
      await lockService.unlock([mq]);
    };
    const idle = orderly.whenQueueIdle(pq);
    // Java waits up to 1 s for the queue's consume lock; a longer call releases the queue when it ends.
    if (await settlesWithin(idle, UNLOCK_WAIT_MILLIS)) await release();
    else void idle.then(release).catch(() => undefined);
  }

  private async persistOffsets(): Promise<void> {
    const owned = this.rebalance?.ownedQueues ?? [];
    if (owned.length === 0 || this.offsetStore === undefined) return;
    await this.offsetStore.persistAll(owned);
  }

  private async waitForConsumption(): Promise<void> {
    const service = this.consumeService;
    if (service === undefined) return;
    const limit = this.options.awaitTerminationMillis ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, limit)));
    await Promise.race([service.whenIdle(), timeout]);
    clearTimeout(timer);
  }

  private running(): MQClientInstance {
    if (this.instance === undefined) throw new MQClientError('NOT_STARTED', 'consumer is not started');
    return this.instance;
  }
}

const UNLOCK_WAIT_MILLIS = 1000;

async function settlesWithin(promise: Promise<unknown>, millis: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), millis)));
  const settled = await Promise.race([promise.then(() => true), timeout]);
  clearTimeout(timer);
  return settled;
}
