/**
 * Flow 2 of DESIGN.md §4 (stock side) — transactional order → stock deduction, exactly once.
 *
 * Interview questions answered here:
 * - 「RocketMQ 的事务消息如何实现的？和本地事务怎么保证一致性？」 (How are transactional messages
 *   implemented, and how do they stay consistent with the local transaction?) — the order service
 *   commits the order row and the half message together; this consumer is the other half: it receives
 *   only committed messages and applies them in its own local transaction, at least once delivered,
 *   exactly once applied.
 * - 「消息重复怎么处理？如何保证幂等？」 (How are duplicate messages handled; how is idempotency
 *   guaranteed?) — `consumeOnce(dataSource, group, orderId, ...)`: the marker (group, orderId) and the
 *   deduction commit in one transaction, so a redelivered or concurrently delivered ORDER_CREATED
 *   finds the marker and deducts nothing.
 *
 * When the stock is short (or the SKU unknown) nothing is deducted and the order service must cancel
 * the order. That decision is stored (stock_deduct_failure) in the same transaction as the marker,
 * and STOCK_DEDUCT_FAILED is published after the commit, on the first delivery and on every
 * redelivery until the broker has accepted it (published_at, set under a row lock so concurrent
 * duplicates publish once). So:
 * - the decision is taken once: a redelivery never re-evaluates stock that may have changed since;
 * - the announcement cannot be lost: a failed send throws, the message is redelivered, the marker
 *   says DUPLICATE, and the stored failure is published again;
 * - it may be announced twice (broker accepted, crash before published_at): STOCK_DEDUCT_FAILED carries
 *   the order id as its key and cancelling is a conditional update (CREATED → CANCELLED) on the order
 *   side, so a duplicate is harmless there.
 * Publishing inside the transaction instead would announce a failure that a rollback then undoes.
 */
import { ConsumerGroups, type StockDeductFailedEvent, Topics } from '@flashsale/contracts';
import { Producer } from '@flashsale/mq';
import { InjectProducer, MqConsumer, RocketMQContext } from '@flashsale/mq/nest';
import { consumeOnce } from '@flashsale/service-kit';
import { Controller, Logger } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { parseMessage } from '@flashsale/service-kit';
import { StockDeductFailureEntity } from './stock-deduct-failure.entity';
import { OrderCreatedMessage } from './stock-messages';
import { StockRepository } from './stock.repository';

@Controller()
export class StockDeductionConsumer {
  private readonly logger = new Logger(StockDeductionConsumer.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly stock: StockRepository,
    @InjectProducer() private readonly producer: Producer,
  ) {}

  // From the first offset: a group deployed after the first orders were created must still deduct them.
  @MqConsumer({
    topic: Topics.ORDER_CREATED,
    group: ConsumerGroups.INVENTORY_DEDUCT,
    consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
  })
  async onOrderCreated(@Payload() payload: unknown, @Ctx() context: RocketMQContext): Promise<void> {
    const order = parseMessage(OrderCreatedMessage, payload);
    const outcome = await consumeOnce(
      this.dataSource,
      ConsumerGroups.INVENTORY_DEDUCT,
      order.orderId,
      (manager) => this.stock.deduct(manager, order),
    );

    if (outcome.status === 'APPLIED' && outcome.result.status === 'DEDUCTED') {
      this.logger.log(`order ${order.orderId}: deducted ${order.quantity} × ${order.sku}`);
      return;
    }
    if (outcome.status === 'APPLIED' && outcome.result.status === 'ORDER_ALREADY_CLOSED') {
      this.logger.log(`order ${order.orderId}: closed before its creation reached inventory; nothing taken`);
      return;
    }
    if (outcome.status === 'DUPLICATE' && context.getReconsumeTimes() === 0) {
      this.logger.log(`order ${order.orderId}: ORDER_CREATED seen before (msgId ${context.getMsgId()})`);
    }
    // A new failure, or a redelivery whose earlier announcement may not have reached the broker.
    const published = await this.stock.publishPendingFailure(order.orderId, (failure) =>
      this.publishFailure(failure),
    );
    if (published !== null) {
      this.logger.warn(`order ${order.orderId}: no stock deducted (${published.reason}); order service told`);
    }
  }

  private async publishFailure(failure: StockDeductFailureEntity): Promise<void> {
    const event: StockDeductFailedEvent = {
      orderId: failure.orderId,
      saleId: failure.saleId,
      sku: failure.sku,
      quantity: failure.quantity,
      reason: failure.reason,
      failedAt: failure.failedAt.toISOString(),
    };
    // A throw here fails the delivery: the broker redelivers it and the send is attempted again.
    await this.producer.send({
      topic: Topics.STOCK_DEDUCT_FAILED,
      body: JSON.stringify(event),
      keys: failure.orderId,
    });
  }
}
