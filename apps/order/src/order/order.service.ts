/**
 * The order lifecycle after creation: pay, cancel, the delayed close and the cancellation after a
 * failed stock deduction — every one a conditional update `... WHERE id = $1 AND status = 'CREATED'`.
 *
 * Why conditional updates: a payment and the close timer can hit one order at the same moment. The
 * database serialises the two UPDATEs on the row lock and re-checks the WHERE clause for the second
 * one, so exactly one of them moves the order and the other sees `affected = 0` — no lock held across
 * a network call, no read-then-write gap. The loser then reads the order to answer (409 for a payment
 * that lost to the close; nothing to do for a close that lost to the payment).
 *
 * Messages are sent after the update commits, so a crash in between loses the message but not the
 * change; each path therefore re-sends when it finds the order already in its own target state
 * (a redelivered close, a repeated pay/cancel). Downstream consumers are idempotent by order id.
 */
import type { OrderClosedEvent, StockDeductFailedEvent } from '@flashsale/contracts';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { OrderClosedPublisher } from '../messaging/order-closed.publisher';
import { OrderStatusPublisher } from '../messaging/order-status.publisher';
import { SaleStockRelease } from '../sale/sale-stock-release';
import { SaleService } from '../sale/sale.service';
import { OrderNotFoundError, OrderStateConflictError, StatusNotPublishedError } from './order.errors';
import type { OrderStatus } from './order-status';
import { PurchaseOrderEntity } from './purchase-order.entity';

/** What a close check did, for logs and tests. */
export type CloseOutcome = 'CLOSED' | 'ALREADY_SETTLED' | 'NO_SUCH_ORDER';

@Injectable()
export class OrderService {
  private readonly logger = new Logger(OrderService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sales: SaleService,
    private readonly statusPublisher: OrderStatusPublisher,
    private readonly closedPublisher: OrderClosedPublisher,
    private readonly stockRelease: SaleStockRelease,
  ) {}

  async get(orderId: string): Promise<PurchaseOrderEntity> {
    const order = await this.find(orderId);
    if (!order) throw new OrderNotFoundError(orderId);
    return order;
  }

  /** CREATED → PAID. A payment after the close is refused (409 ORDER_CLOSED); a repeated one is fine. */
  async pay(orderId: string): Promise<PurchaseOrderEntity> {
    const moved = await this.moveFromCreated(orderId, { status: 'PAID', paidAt: () => 'now()' });
    const order = await this.get(orderId);
    if (!moved && order.status !== 'PAID') throw new OrderStateConflictError(orderId, order.status, 'pay');
    await this.announce(order, () => this.statusPublisher.publish(order, 'PAID'));
    return order;
  }

  /** CREATED → CANCELLED by the buyer: the stock goes back (ORDER_CLOSED), the buyer is told. */
  async cancel(orderId: string): Promise<PurchaseOrderEntity> {
    const moved = await this.moveFromCreated(orderId, {
      status: 'CANCELLED',
      cancelReason: 'BUYER',
      closedAt: () => 'now()',
    });
    const order = await this.get(orderId);
    const cancelledByBuyer = order.status === 'CANCELLED' && order.cancelReason === 'BUYER';
    if (!moved && !cancelledByBuyer) throw new OrderStateConflictError(orderId, order.status, 'cancel');
    await this.announce(order, async () => {
      await this.closedPublisher.publish(await this.closedEvent(order));
      await this.statusPublisher.publish(order, 'CANCELLED');
    });
    return order;
  }

  /**
   * Flow 3: the delayed close fired. CREATED → CLOSED and announce it (inventory releases the stock);
   * an order paid or cancelled meanwhile is left alone. Idempotent by construction: the update can
   * succeed once; a redelivery finds the order CLOSED and only re-sends the messages.
   * Throws when a message cannot be sent, so the close message is redelivered.
   */
  async closeIfUnpaid(orderId: string): Promise<CloseOutcome> {
    const moved = await this.moveFromCreated(orderId, { status: 'CLOSED', closedAt: () => 'now()' });
    const order = await this.find(orderId);
    if (!order) {
      this.logger.warn(`close check for unknown order ${orderId}`);
      return 'NO_SUCH_ORDER';
    }
    if (!moved && order.status !== 'CLOSED') return 'ALREADY_SETTLED';
    await this.closedPublisher.publish(await this.closedEvent(order));
    await this.statusPublisher.publish(order, 'CLOSED');
    return 'CLOSED';
  }

  /**
   * Inventory could not deduct the stock of a created order: CREATED → CANCELLED (reason
   * STOCK_DEDUCT_FAILED), give the Redis unit back ourselves (inventory deducted nothing, so it has
   * nothing to release and gets no ORDER_CLOSED), tell the buyer. Redeliveries repeat the release (a
   * no-op thanks to the `released` set) and the status message.
   */
  async cancelAfterFailedDeduction(event: StockDeductFailedEvent): Promise<boolean> {
    const moved = await this.moveFromCreated(event.orderId, {
      status: 'CANCELLED',
      cancelReason: 'STOCK_DEDUCT_FAILED',
      closedAt: () => 'now()',
    });
    const order = await this.find(event.orderId);
    if (!order) {
      this.logger.warn(`stock deduction failed for unknown order ${event.orderId}`);
      return false;
    }
    if (!moved && !(order.status === 'CANCELLED' && order.cancelReason === 'STOCK_DEDUCT_FAILED')) {
      // Closed or cancelled by the buyer: ORDER_CLOSED already gives the unit back. Paid: needs a refund,
      // which is outside this reference application — logged for a human.
      const log = order.status === 'PAID' ? 'error' : 'warn';
      this.logger[log](
        `stock deduction failed (${event.reason}) for order ${order.id}, which is ${order.status}`,
      );
      return false;
    }
    await this.stockRelease.release(order.saleId, order.id, order.quantity);
    await this.statusPublisher.publish(order, 'CANCELLED');
    return true;
  }

  private async find(orderId: string): Promise<PurchaseOrderEntity | null> {
    return this.dataSource.getRepository(PurchaseOrderEntity).findOneBy({ id: orderId });
  }

  /** The conditional update: true when this call moved the order out of CREATED. */
  private async moveFromCreated(
    orderId: string,
    changes: QueryDeepPartialEntity<PurchaseOrderEntity> & { status: OrderStatus },
  ): Promise<boolean> {
    const result = await this.dataSource
      .createQueryBuilder()
      .update(PurchaseOrderEntity)
      .set(changes)
      .where('id = :orderId AND status = :from', { orderId, from: 'CREATED' })
      .execute();
    return result.affected === 1;
  }

  private async closedEvent(order: PurchaseOrderEntity): Promise<OrderClosedEvent> {
    const sale = await this.sales.find(order.saleId);
    return {
      orderId: order.id,
      saleId: order.saleId,
      sku: sale.sku,
      quantity: order.quantity,
      status: order.status === 'CANCELLED' ? 'CANCELLED' : 'CLOSED',
      closedAt: (order.closedAt ?? new Date()).toISOString(),
    };
  }

  /** HTTP paths: the change is committed; a failed send becomes a 503 that invites a retry. */
  private async announce(order: PurchaseOrderEntity, send: () => Promise<void>): Promise<void> {
    try {
      await send();
    } catch (error) {
      this.logger.warn(`order ${order.id} is ${order.status}, announcing it failed: ${String(error)}`);
      throw new StatusNotPublishedError(order.id, order.status);
    }
  }
}
