/**
 * Flow 3 of DESIGN.md §4 (stock side) — when the delayed close (or a cancellation) ends an unpaid
 * order, its stock goes back to the database and to the sale's Redis counter, each exactly once.
 *
 * Interview questions answered here:
 * - 「消费失败会怎么办？消息会丢失吗？」 (What happens when consumption fails — is the message lost?) —
 *   no: a throw is RECONSUME_LATER, the broker redelivers through %RETRY%<group> with a growing delay
 *   and, after maxReconsumeTimes, keeps it in %DLQ%<group>. This handler is written so that every
 *   redelivery finishes whatever the previous attempt left undone.
 * - 「如何保证消息幂等？」 (How is consumption made idempotent?) — two steps, each idempotent on its own:
 *
 * 1. Database, under consumeOnce(group, orderId): if the order has a DEDUCT movement and no RELEASE
 *    yet, insert RELEASE and add the quantity back, in one transaction with the marker.
 * 2. Redis, after that commit, on EVERY delivery (APPLIED or DUPLICATE): one Lua script
 *    `if SADD released orderId == 1 then INCRBY stock q end`. The released set makes it idempotent,
 *    so running it again is harmless, and running it always means a failure of this step (Redis
 *    down → throw → redelivery) is retried even though the marker already says DUPLICATE.
 *
 * Why the database first: a unit back in Redis can be bought at once, and the new order's deduction
 * must then find it in PostgreSQL. Restoring Redis only after the release committed means the sale
 * counter never offers a unit the stock of record does not have (no spurious STOCK_DEDUCT_FAILED).
 * The reverse window — released in the database, not yet in Redis — only undersells until the retry.
 *
 * The Redis restore runs even when nothing was deducted in the database (the deduction had failed
 * and the order was CANCELLED): the purchase gate decremented the sale counter for every admitted
 * order, so every order that ends unpaid gives its unit back to the counter.
 */
import { ConsumerGroups, Topics } from '@flashsale/contracts';
import { MqConsumer } from '@flashsale/mq/nest';
import { consumeOnce } from '@flashsale/service-kit';
import { Controller, Logger } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { parseMessage } from '@flashsale/service-kit';
import { SaleStockCounter } from './sale-stock-counter';
import { OrderClosedMessage } from './stock-messages';
import { StockRepository } from './stock.repository';

@Controller()
export class StockReleaseConsumer {
  private readonly logger = new Logger(StockReleaseConsumer.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly stock: StockRepository,
    private readonly saleStock: SaleStockCounter,
  ) {}

  @MqConsumer({
    topic: Topics.ORDER_CLOSED,
    group: ConsumerGroups.INVENTORY_RELEASE,
    consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
  })
  async onOrderClosed(@Payload() payload: unknown): Promise<void> {
    const order = parseMessage(OrderClosedMessage, payload);

    const outcome = await consumeOnce(
      this.dataSource,
      ConsumerGroups.INVENTORY_RELEASE,
      order.orderId,
      (manager) => this.stock.release(manager, order.orderId),
    );
    if (outcome.status === 'APPLIED') {
      const result = outcome.result;
      if (result.released)
        this.logger.log(`order ${order.orderId}: released ${result.quantity} × ${order.sku}`);
      else this.logger.log(`order ${order.orderId}: nothing to release in the database (${result.reason})`);
    }

    // Step 2 on every delivery; a throw here makes the broker redeliver and this line run again.
    const restored = await this.saleStock.restoreOnce(order.saleId, order.orderId, order.quantity);
    if (restored === 'NO_LIVE_SALE') {
      this.logger.warn(`order ${order.orderId}: sale ${order.saleId} has no live counter; nothing restored`);
    }
  }
}
