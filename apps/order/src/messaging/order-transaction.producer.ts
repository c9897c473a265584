import { type OrderCreatedEvent, ProducerGroups, Topics } from '@flashsale/contracts';
import { type LocalTransactionState, TransactionProducer } from '@flashsale/mq';
import { nestClientLogger } from '@flashsale/mq/nest';
import { Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { OrderConfig } from '../config/order.config';
import { type NewOrder, OrderTransactionListener } from '../order/order-transaction.listener';

/**
 * The transactional producer of group ORDER_TRANSACTION. Every instance of the service runs one, so a
 * check-back for a half message sent by an instance that died is answered by any survivor (from the
 * order table, which they share). Started before the consumers, shut down after them.
 */
@Injectable()
export class OrderTransactionProducer implements OnModuleInit, OnApplicationShutdown {
  private readonly producer: TransactionProducer;

  constructor(config: OrderConfig, listener: OrderTransactionListener) {
    this.producer = new TransactionProducer({
      nameServer: config.NAMESRV_ADDR,
      producerGroup: ProducerGroups.ORDER_TRANSACTION,
      transactionListener: listener,
      logger: nestClientLogger(OrderTransactionProducer.name),
    });
  }

  async onModuleInit(): Promise<void> {
    await this.producer.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.producer.shutdown();
  }

  /**
   * Half message ORDER_CREATED → insert the order → commit. Resolves to the local transaction's
   * outcome; throws when the half message could not be sent (nothing stored, nothing inserted).
   */
  async createOrder(event: OrderCreatedEvent, order: NewOrder): Promise<LocalTransactionState> {
    const { localTransactionState } = await this.producer.sendMessageInTransaction(
      { topic: Topics.ORDER_CREATED, body: JSON.stringify(event), tags: 'CREATED', keys: order.id },
      order,
    );
    return localTransactionState;
  }
}
