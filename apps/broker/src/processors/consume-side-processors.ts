/**
 * Wiring of the consume side in one call, for the broker controller: the consumer offset table, the
 * processors of PULL_MESSAGE and the offset requests, the long-polling hold service and the store
 * listener that feeds it. The controller registers `registrations` with the remoting server,
 * installs `messageArrivingListener` with `store.setMessageArrivingListener`, and calls
 * `start()` / `shutdown()` around the server's life.
 */
import { RequestCode } from '@flashsale/mq/protocol';
import { type BrokerLogger, silentBrokerLogger } from '../broker-logger';
import { createNotifyMessageArrivingListener } from '../longpolling/notify-message-arriving.listener';
import type { PullRequestHoldService } from '../longpolling/pull-request-hold.service';
import { ConsumerOffsetManager } from '../offset/consumer-offset-manager';
import type { RequestProcessor } from '../remoting/request-processor';
import type { MessageArrivingListener, MessageStore } from '../store';
import { ConsumerOffsetProcessor } from './consumer-offset.processor';
import {
  type PullBrokerConfig,
  PullMessageProcessor,
  type SubscriptionGroupLookup,
  type SubscriptionLookup,
  type TopicConfigLookup,
} from './pull-message.processor';
import { QueueOffsetProcessor } from './queue-offset.processor';

export type ConsumeSideStore = Pick<
  MessageStore,
  | 'getMessage'
  | 'isRunning'
  | 'getMaxOffsetInQueue'
  | 'getMinOffsetInQueue'
  | 'getMessageStoreTimestamp'
  | 'getOffsetInQueueByTime'
  | 'getEarliestMessageTime'
>;

export interface ConsumeSideDependencies {
  store: ConsumeSideStore;
  /** consumerOffset.json goes to `<storePathRootDir>/config/`. */
  storePathRootDir: string;
  topicConfigs: TopicConfigLookup;
  subscriptions: SubscriptionLookup;
  subscriptionGroups?: SubscriptionGroupLookup;
  brokerConfig: PullBrokerConfig;
  /** Default 5000 ms. */
  flushConsumerOffsetInterval?: number;
  /** Default 5000 ms with long polling, shortPollingTimeMills without. */
  holdCheckIntervalMillis?: number;
  logger?: BrokerLogger;
}

export interface ConsumeSide {
  readonly consumerOffsetManager: ConsumerOffsetManager;
  readonly pullMessageProcessor: PullMessageProcessor;
  readonly consumerOffsetProcessor: ConsumerOffsetProcessor;
  readonly queueOffsetProcessor: QueueOffsetProcessor;
  readonly pullRequestHoldService: PullRequestHoldService;
  /** Pass to `store.setMessageArrivingListener`. */
  readonly messageArrivingListener: MessageArrivingListener;
  /** Request code → processor, for the remoting server. */
  readonly registrations: ReadonlyArray<readonly [code: number, processor: RequestProcessor]>;
  /** Loads consumerOffset.json and starts the offset flush and the hold service's periodic check. */
  start(): void;
  /** Drops parked pulls and writes consumerOffset.json one last time. */
  shutdown(): Promise<void>;
}

export function createConsumeSideProcessors(deps: ConsumeSideDependencies): ConsumeSide {
  const logger = deps.logger ?? silentBrokerLogger;
  const consumerOffsetManager = new ConsumerOffsetManager({
    storePathRootDir: deps.storePathRootDir,
    flushConsumerOffsetInterval: deps.flushConsumerOffsetInterval,
    logger,
  });
  const pullMessageProcessor = new PullMessageProcessor({
    store: deps.store,
    topicConfigs: deps.topicConfigs,
    subscriptions: deps.subscriptions,
    subscriptionGroups: deps.subscriptionGroups,
    consumerOffsets: consumerOffsetManager,
    brokerConfig: deps.brokerConfig,
    holdCheckIntervalMillis: deps.holdCheckIntervalMillis,
    logger,
  });
  const consumerOffsetProcessor = new ConsumerOffsetProcessor({
    consumerOffsets: consumerOffsetManager,
    store: deps.store,
  });
  const queueOffsetProcessor = new QueueOffsetProcessor({ store: deps.store });
  const pullRequestHoldService = pullMessageProcessor.pullRequestHoldService;

  return {
    consumerOffsetManager,
    pullMessageProcessor,
    consumerOffsetProcessor,
    queueOffsetProcessor,
    pullRequestHoldService,
    messageArrivingListener: createNotifyMessageArrivingListener(pullRequestHoldService),
    registrations: [
      [RequestCode.PULL_MESSAGE, pullMessageProcessor],
      [RequestCode.QUERY_CONSUMER_OFFSET, consumerOffsetProcessor],
      [RequestCode.UPDATE_CONSUMER_OFFSET, consumerOffsetProcessor],
      [RequestCode.SEARCH_OFFSET_BY_TIMESTAMP, queueOffsetProcessor],
      [RequestCode.GET_MAX_OFFSET, queueOffsetProcessor],
      [RequestCode.GET_MIN_OFFSET, queueOffsetProcessor],
      [RequestCode.GET_EARLIEST_MSG_STORETIME, queueOffsetProcessor],
    ],
    start() {
      consumerOffsetManager.load();
      consumerOffsetManager.start();
      pullMessageProcessor.start();
    },
    async shutdown() {
      pullMessageProcessor.shutdown();
      await consumerOffsetManager.shutdown();
    },
  };
}
