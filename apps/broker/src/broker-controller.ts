/**
 * BrokerController: builds a broker out of its parts and runs its life cycle (RocketMQ's class of the
 * same name).
 *
 *   start:    topic & group tables → MessageStore (recovery) → processors → remoting server
 *             → register with every NameServer (then every 30 s)
 *   shutdown: unregister → stop accepting & close connections → persist offsets and tables
 *             → store.shutdown (final flush, clean-shutdown marker)
 *
 * Interview question: "What is inside a RocketMQ broker?" — a remoting server whose request codes
 * map to processors (send, pull, offsets, heartbeats, queries, admin), a store (CommitLog,
 * ConsumeQueues, IndexFile), managers for topics, subscription groups, consumers, producers and
 * offsets, long polling, and the registration loop that makes the broker visible to clients.
 */
import { RequestCode } from '@flashsale/mq/protocol';
import { type BrokerConfig, brokerAddrOf, haServerAddrOf, namesrvAddrList } from './broker-config';
import { type BrokerLogger, silentBrokerLogger } from './broker-logger';
import { ClientHousekeepingService } from './client/client-housekeeping.service';
import { ConsumerManager } from './client/consumer-manager';
import { ProducerManager } from './client/producer-manager';
import { RebalanceLockManager } from './client/rebalance-lock-manager';
import { BrokerOuterApi, type BrokerIdentity } from './out/broker-outer-api';
import { BrokerRegistrationService } from './out/broker-registration.service';
import { AdminBrokerProcessor } from './processors/admin-broker.processor';
import { ClientManageProcessor } from './processors/client-manage.processor';
import { type ConsumeSide, createConsumeSideProcessors } from './processors/consume-side-processors';
import { ConsumerManageProcessor } from './processors/consumer-manage.processor';
import { ConsumerSendMsgBackProcessor } from './processors/consumer-send-msg-back.processor';
import { QueryMessageProcessor } from './processors/query-message.processor';
import { QueueLockProcessor } from './processors/queue-lock.processor';
import { SendMessageProcessor } from './processors/send-message.processor';
import { SubscriptionGroupProcessor } from './processors/subscription-group.processor';
import type { RemotingChannel } from './remoting/remoting-channel';
import { RemotingServer } from './remoting/remoting-server';
import {
  chainArrivingListeners,
  createScheduleServices,
  type ScheduleServices,
} from './schedule/schedule-services';
import { MessageStore, type MessageStoreOptions } from './store';
import { SubscriptionGroupManager } from './subscription/subscription-group-manager';
import { TopicConfigManager } from './topic/topic-config-manager';
import { createTransactionSide, type TransactionSide } from './transaction/transaction-side';

export interface BrokerControllerOptions {
  config: BrokerConfig;
  logger?: BrokerLogger;
  /** Store settings beyond the ones derived from BrokerConfig (tests use small segment files). */
  storeOptions?: Partial<MessageStoreOptions>;
}

type State = 'CREATED' | 'STARTING' | 'RUNNING' | 'STOPPING' | 'STOPPED';

export class BrokerControllerStateError extends Error {
  override readonly name = 'BrokerControllerStateError';
}

export class BrokerController {
  readonly config: BrokerConfig;
  readonly topicConfigManager: TopicConfigManager;
  readonly subscriptionGroupManager: SubscriptionGroupManager;
  readonly consumerManager: ConsumerManager;
  readonly producerManager: ProducerManager;
  /** Queue locks of orderly consumers (LOCK_BATCH_MQ / UNLOCK_BATCH_MQ). */
  readonly rebalanceLockManager: RebalanceLockManager;
  private readonly logger: BrokerLogger;
  private readonly housekeeping: ClientHousekeepingService;
  private readonly identity: BrokerIdentity;
  private readonly outerApi: BrokerOuterApi;
  private readonly registration: BrokerRegistrationService;
  /** Delayed (SCHEDULE_TOPIC_XXXX) and timer (rmq_sys_wheel_timer) messages. */
  readonly scheduleServices: ScheduleServices;
  private storeInstance: MessageStore | undefined;
  private consumeSide: ConsumeSide | undefined;
  private transactionSide: TransactionSide | undefined;
  private server: RemotingServer | undefined;
  private state: State = 'CREATED';
  private bootTimestamp = 0;

  constructor(private readonly options: BrokerControllerOptions) {
    const config = options.config;
    this.config = config;
    this.logger = options.logger ?? silentBrokerLogger;
    this.scheduleServices = createScheduleServices(config, this.logger);
    this.topicConfigManager = new TopicConfigManager(config, this.logger);
    this.subscriptionGroupManager = new SubscriptionGroupManager(config, this.logger);
    this.consumerManager = new ConsumerManager(
      { channelExpiredTimeout: config.channelExpiredTimeout },
      this.logger,
    );
    this.producerManager = new ProducerManager(
      { channelExpiredTimeout: config.channelExpiredTimeout },
      this.logger,
    );
    this.rebalanceLockManager = new RebalanceLockManager(
      { rebalanceLockMaxLiveTime: config.rebalanceLockMaxLiveTime },
      this.logger,
    );
    this.housekeeping = new ClientHousekeepingService(
      this.consumerManager,
      this.producerManager,
      config.clientScanInterval,
    );
    this.identity = {
      clusterName: config.brokerClusterName,
      brokerName: config.brokerName,
      brokerAddr: brokerAddrOf(config),
      brokerId: config.brokerId,
      haServerAddr: haServerAddrOf(config),
    };
    this.outerApi = new BrokerOuterApi(
      namesrvAddrList(config),
      config.registerBrokerTimeoutMills,
      this.logger,
    );
    this.registration = new BrokerRegistrationService(
      this.identity,
      this.outerApi,
      this.topicConfigManager,
      { periodMillis: config.registerNameServerPeriod },
      this.logger,
    );
  }

  get store(): MessageStore {
    if (!this.storeInstance) throw new BrokerControllerStateError('the broker has not been started');
    return this.storeInstance;
  }

  /** "ip:port" as registered with the NameServers. */
  get brokerAddr(): string {
    return this.identity.brokerAddr;
  }

  /** Half messages, commits and check-backs (the console reads pending half messages here). */
  get transactions(): TransactionSide {
    if (!this.transactionSide) throw new BrokerControllerStateError('the broker has not been started');
    return this.transactionSide;
  }

  get isRunning(): boolean {
    return this.state === 'RUNNING';
  }

  async start(): Promise<void> {
    if (this.state !== 'CREATED')
      throw new BrokerControllerStateError(`cannot start a broker that is ${this.state}`);
    this.state = 'STARTING';
    this.bootTimestamp = Date.now();
    this.topicConfigManager.load();
    this.subscriptionGroupManager.load();
    this.storeInstance = await MessageStore.open(this.storeOptions(), this.logger);
    try {
      this.consumeSide = this.createConsumeSide(this.storeInstance);
      this.transactionSide = this.createTransactionSide(this.storeInstance, this.consumeSide);
      this.server = this.createRemotingServer(this.storeInstance, this.consumeSide);
      this.consumeSide.start();
      this.scheduleServices.start(this.storeInstance);
      this.transactionSide.start();
      this.housekeeping.start();
      await this.server.start();
    } catch (err) {
      await this.releaseAfterFailedStart();
      throw err;
    }
    this.topicConfigManager.onChange(() => this.registration.requestRegistration());
    await this.registration.start();
    this.state = 'RUNNING';
  }

  private storeOptions(): MessageStoreOptions {
    const { config } = this;
    return {
      ...this.options.storeOptions,
      storePathRootDir: config.storePathRootDir,
      flushDiskType: config.flushDiskType,
      maxMessageSize: config.maxMessageSize,
      storeHost: { host: config.brokerIP1, port: config.listenPort },
      tagsCodeResolver: this.scheduleServices.tagsCodeResolver,
    };
  }

  private createConsumeSide(store: MessageStore): ConsumeSide {
    const consumeSide = createConsumeSideProcessors({
      store,
      storePathRootDir: this.config.storePathRootDir,
      topicConfigs: this.topicConfigManager,
      subscriptions: this.consumerManager,
      subscriptionGroups: this.subscriptionGroupManager,
      brokerConfig: this.config,
      flushConsumerOffsetInterval: this.config.flushConsumerOffsetInterval,
      logger: this.logger,
    });
    store.setMessageArrivingListener(
      chainArrivingListeners(
        consumeSide.messageArrivingListener,
        this.scheduleServices.messageArrivingListener,
      ),
    );
    return consumeSide;
  }

  private createTransactionSide(store: MessageStore, consumeSide: ConsumeSide): TransactionSide {
    return createTransactionSide({
      brokerConfig: this.config,
      store,
      topicConfigManager: this.topicConfigManager,
      consumerOffsetManager: consumeSide.consumerOffsetManager,
      producers: this.producerManager,
      logger: this.logger,
    });
  }

  private createRemotingServer(store: MessageStore, consumeSide: ConsumeSide): RemotingServer {
    const { config, logger } = this;
    const server = new RemotingServer({ host: config.listenHost, port: config.listenPort, logger });

    const send = new SendMessageProcessor({
      brokerConfig: config,
      store,
      topicConfigManager: this.topicConfigManager,
      subscriptionGroupManager: this.subscriptionGroupManager,
      logger,
      scheduleMessageHook: this.scheduleServices.hook,
    });
    server.registerProcessor(RequestCode.SEND_MESSAGE, send);
    server.registerProcessor(RequestCode.SEND_MESSAGE_V2, send);
    server.registerProcessor(RequestCode.SEND_BATCH_MESSAGE, send);
    server.registerProcessor(
      RequestCode.CONSUMER_SEND_MSG_BACK,
      new ConsumerSendMsgBackProcessor({
        brokerConfig: config,
        store,
        topicConfigManager: this.topicConfigManager,
        subscriptionGroupManager: this.subscriptionGroupManager,
        delayLevelTable: this.scheduleServices.delayLevelTable,
        logger,
      }),
    );
    server.registerProcessor(
      RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP,
      new SubscriptionGroupProcessor(this.subscriptionGroupManager, logger),
    );

    for (const [code, processor] of consumeSide.registrations) server.registerProcessor(code, processor);
    for (const [code, processor] of this.transactionSide?.registrations ?? []) {
      server.registerProcessor(code, processor);
    }
    const queueLock = new QueueLockProcessor(this.rebalanceLockManager);
    server.registerProcessor(RequestCode.LOCK_BATCH_MQ, queueLock);
    server.registerProcessor(RequestCode.UNLOCK_BATCH_MQ, queueLock);

    const clientManage = new ClientManageProcessor({
      consumerManager: this.consumerManager,
      producerManager: this.producerManager,
      subscriptionGroupManager: this.subscriptionGroupManager,
      topicConfigManager: this.topicConfigManager,
      logger,
    });
    server.registerProcessor(RequestCode.HEART_BEAT, clientManage);
    server.registerProcessor(RequestCode.UNREGISTER_CLIENT, clientManage);
    server.registerProcessor(
      RequestCode.GET_CONSUMER_LIST_BY_GROUP,
      new ConsumerManageProcessor(this.consumerManager, logger),
    );

    const query = new QueryMessageProcessor(store, config);
    server.registerProcessor(RequestCode.VIEW_MESSAGE_BY_ID, query);
    server.registerProcessor(RequestCode.QUERY_MESSAGE, query);

    const admin = new AdminBrokerProcessor({
      brokerConfig: config,
      store,
      topicConfigManager: this.topicConfigManager,
      logger,
      bootTimestamp: this.bootTimestamp,
    });
    for (const code of [
      RequestCode.UPDATE_AND_CREATE_TOPIC,
      RequestCode.GET_ALL_TOPIC_CONFIG,
      RequestCode.GET_BROKER_RUNTIME_INFO,
      RequestCode.DELETE_TOPIC_IN_BROKER,
    ]) {
      server.registerProcessor(code, admin);
    }

    server.onChannelClose((channel) => this.onChannelClose(channel));
    return server;
  }

  private onChannelClose(channel: RemotingChannel): void {
    this.consumerManager.doChannelCloseEvent(channel);
    this.producerManager.doChannelCloseEvent(channel);
  }

  /** Unregisters, closes connections, persists tables and offsets, and shuts the store down cleanly. */
  async shutdown(): Promise<void> {
    if (this.state === 'STOPPED' || this.state === 'STOPPING') return;
    this.state = 'STOPPING';
    await this.registration.shutdown();
    await this.server?.close();
    this.housekeeping.shutdown();
    await this.transactionSide?.shutdown();
    await this.consumeSide?.shutdown();
    await this.scheduleServices.shutdown();
    await Promise.all([this.topicConfigManager.persist(), this.subscriptionGroupManager.persist()]);
    await this.storeInstance?.shutdown();
    this.state = 'STOPPED';
    this.logger.info('broker shut down', { brokerName: this.config.brokerName, brokerAddr: this.brokerAddr });
  }

  private async releaseAfterFailedStart(): Promise<void> {
    this.state = 'STOPPED';
    this.housekeeping.shutdown();
    await this.server?.close().catch(() => undefined);
    await this.transactionSide?.shutdown().catch(() => undefined);
    await this.consumeSide?.shutdown().catch(() => undefined);
    await this.scheduleServices.shutdown().catch(() => undefined);
    await this.storeInstance?.shutdown();
  }
}
