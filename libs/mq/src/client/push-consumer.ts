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
  type MessageListenerConcurrently,
} from './consume-message-concurrently.service';
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
  /** Sent with CONSUMER_SEND_MSG_BACK; after this many retries the broker moves a message to the DLQ. */
  maxReconsumeTimes?: number;
  /** BROADCASTING only: directory of the local offset files (default ~/.rocketmq_offsets). */
  offsetStoreDir?: string;
  allocateStrategy?: AllocateMessageQueueStrategy;
  /** How long shutdown waits for in-flight listener calls (default 30 s). */
  awaitTerminationMillis?: number;
  logger?: ClientLogger;
}

type ConsumerState = 'CREATED' | 'RUNNING' | 'STOPPING' | 'SHUT_DOWN';

export class PushConsumer {
  readonly consumerGroup: string;
  private readonly messageModel: MessageModel;
  private readonly consumeFromWhere: PushConsumerFromWhere;
  private readonly logger: ClientLogger;
  private readonly subscriptions = new Map<string, SubscriptionData>();
  private listener: MessageListenerConcurrently | undefined;
  private instance: MQClientInstance | undefined;
  private offsetStore: OffsetStore | undefined;
  private consumeService: ConsumeMessageConcurrentlyService | undefined;
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

  registerMessageListener(listener: MessageListenerConcurrently): void {
    this.listener = listener;
  }

  async start(): Promise<void> {
    if (this.state !== 'CREATED') throw new MQClientError('ALREADY_STARTED', `consumer is ${this.state}`);
    const listener = this.listener;
    if (listener === undefined)
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
    this.consumeService = new ConsumeMessageConcurrentlyService({
      group: this.consumerGroup,
      messageModel: this.messageModel,
      listener,
      consumeConcurrency: this.options.consumeConcurrency ?? 20,
      consumeMessageBatchMaxSize: this.options.consumeMessageBatchMaxSize ?? 1,
      maxReconsumeTimes: this.options.maxReconsumeTimes ?? DEFAULT_MAX_RECONSUME_TIMES,
      offsetStore,
      instance,
      logger: this.logger,
    });
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
    await this.rebalance.start();
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
    this.pullService?.wakeAll();
    await this.waitForConsumption();
    this.consumeService?.stop();
    await this.persistOffsets();
    for (const { pq } of this.rebalance?.processQueues.values() ?? []) pq.dropped = true;
    this.state = 'SHUT_DOWN';
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

  /** Rebalance took the queue away: commit what was consumed so the next owner starts there. */
  private async removeQueue(mq: MessageQueue, _pq: ProcessQueue): Promise<void> {
    const store = this.offsetStore;
    if (store === undefined) return;
    await store.persist(mq);
    store.removeOffset(mq);
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
