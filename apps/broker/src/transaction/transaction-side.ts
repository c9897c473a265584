/**
 * Wiring of transactional messages in one call, for the broker controller: the bridge over the
 * store, the service that commits and rolls back, the END_TRANSACTION processor and the check
 * service. The controller registers `registrations`, calls `start()` after the consumer offsets
 * are loaded (the check progress is kept there) and `shutdown()` before they are persisted.
 *
 * The send path needs none of this: it turns a TRAN_MSG send into a half message with the pure
 * `toHalfMessage` (transactional-message-util.ts) and stores it like any other message.
 */
import { RequestCode } from '@flashsale/mq/protocol';
import type { BrokerConfig } from '../broker-config';
import type { BrokerLogger } from '../broker-logger';
import type { ConsumerOffsetManager } from '../offset/consumer-offset-manager';
import { EndTransactionProcessor } from '../processors/end-transaction.processor';
import type { RequestProcessor } from '../remoting/request-processor';
import type { TopicConfigManager } from '../topic/topic-config-manager';
import { type TransactionStore, TransactionalMessageBridge } from './transactional-message-bridge';
import {
  type ProducerChannels,
  TransactionalMessageCheckListener,
} from './transactional-message-check.listener';
import { TransactionalMessageCheckService } from './transactional-message-check.service';
import { TransactionalMessageService } from './transactional-message.service';

export interface TransactionSideDeps {
  brokerConfig: Pick<
    BrokerConfig,
    'brokerId' | 'brokerName' | 'transactionCheckInterval' | 'transactionTimeOut' | 'transactionCheckMax'
  >;
  store: TransactionStore;
  topicConfigManager: TopicConfigManager;
  consumerOffsetManager: ConsumerOffsetManager;
  producers: ProducerChannels;
  logger: BrokerLogger;
}

export interface TransactionSide {
  readonly service: TransactionalMessageService;
  readonly checkService: TransactionalMessageCheckService;
  readonly registrations: ReadonlyArray<readonly [code: number, processor: RequestProcessor]>;
  /** Rebuilds the resolved window and, on a master, starts the periodic check. */
  start(): void;
  shutdown(): Promise<void>;
}

export function createTransactionSide(deps: TransactionSideDeps): TransactionSide {
  const { brokerConfig, logger } = deps;
  const bridge = new TransactionalMessageBridge({
    store: deps.store,
    topicConfigManager: deps.topicConfigManager,
    consumerOffsetManager: deps.consumerOffsetManager,
    logger,
  });
  const service = new TransactionalMessageService(bridge, logger);
  const listener = new TransactionalMessageCheckListener({
    bridge,
    producers: deps.producers,
    brokerName: brokerConfig.brokerName,
    logger,
  });
  const checkService = new TransactionalMessageCheckService(
    service,
    listener,
    {
      transactionCheckInterval: brokerConfig.transactionCheckInterval,
      transactionTimeOut: brokerConfig.transactionTimeOut,
      transactionCheckMax: brokerConfig.transactionCheckMax,
    },
    logger,
  );
  const endTransaction = new EndTransactionProcessor({ brokerConfig, service, logger });
  return {
    service,
    checkService,
    registrations: [[RequestCode.END_TRANSACTION, endTransaction]],
    start() {
      service.load();
      // Only a master checks: a slave's half queue is a replica, and producers talk to the master.
      if (brokerConfig.brokerId === 0) checkService.start();
    },
    shutdown: () => checkService.shutdown(),
  };
}
