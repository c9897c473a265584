/**
 * Flows 1 + 2 (DESIGN §4.1–4.2), the consuming side: an admitted purchase request becomes an order
 * through a transactional message, then gets its delayed close and its first status message.
 *
 * Interview: "如何保证消息幂等？" (How do you make message consumption idempotent?) — a request can be
 * delivered twice (a producer retry after a lost reply, a consumer crash before its offset commit).
 * Here the business key does the work: the ticket is unique in the order table and the order id is
 * derived from it, so a second delivery finds the order (or re-runs a transaction that inserts
 * nothing) and only repeats the follow-up messages, which their consumers dedupe by order id.
 *
 * Steps, each safe to repeat:
 * 1. claim the ticket in Redis — unless the gate voided it after a failed send (then drop the request);
 * 2. if the order does not exist yet: transactional ORDER_CREATED (half message → insert → commit);
 * 3. while the order is still CREATED: send the delayed close check and ORDER_STATUS CREATED.
 * Any failure throws, and the broker redelivers the request (at last to %DLQ%, for a human).
 */
import type { OrderCreatedEvent, PurchaseRequestedEvent } from '@flashsale/contracts';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OrderCloseScheduler } from '../messaging/order-close.scheduler';
import { OrderStatusPublisher } from '../messaging/order-status.publisher';
import { OrderTransactionProducer } from '../messaging/order-transaction.producer';
import { orderIdForTicket } from '../order/order-id';
import { PurchaseOrderEntity } from '../order/purchase-order.entity';
import { SaleService } from '../sale/sale.service';
import { PurchaseGate } from './purchase-gate';

export type PlacementOutcome = 'CREATED' | 'EXISTED' | 'VOIDED';

export class OrderNotCommittedError extends Error {
  override readonly name = 'OrderNotCommittedError';
}

@Injectable()
export class OrderPlacementService {
  private readonly logger = new Logger(OrderPlacementService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly gate: PurchaseGate,
    private readonly sales: SaleService,
    private readonly transactionProducer: OrderTransactionProducer,
    private readonly closeScheduler: OrderCloseScheduler,
    private readonly statusPublisher: OrderStatusPublisher,
  ) {}

  async place(request: PurchaseRequestedEvent): Promise<PlacementOutcome> {
    if (!(await this.gate.claimTicket(request.saleId, request.ticket))) {
      this.logger.warn(`ticket ${request.ticket} was voided by the gate (its send failed); dropped`);
      return 'VOIDED';
    }
    const orderId = orderIdForTicket(request.ticket);
    let order = await this.find(orderId);
    const outcome: PlacementOutcome = order ? 'EXISTED' : 'CREATED';
    if (!order) {
      const sale = await this.sales.find(request.saleId);
      const createdAt = new Date();
      const event: OrderCreatedEvent = {
        orderId,
        saleId: request.saleId,
        sku: sale.sku,
        userId: request.userId,
        quantity: request.quantity,
        createdAt: createdAt.toISOString(),
      };
      const state = await this.transactionProducer.createOrder(event, {
        id: orderId,
        ticket: request.ticket,
        saleId: request.saleId,
        userId: request.userId,
        quantity: request.quantity,
        amountCents: sale.priceCents * request.quantity,
      });
      // UNKNOW: the insert may or may not have committed; the check-back settles the half message, and
      // the redelivery of this request finds out which way and carries on from there.
      if (state !== 'COMMIT_MESSAGE') {
        throw new OrderNotCommittedError(`order ${orderId} for ticket ${request.ticket}: ${state}`);
      }
      order = await this.find(orderId);
      if (!order) throw new OrderNotCommittedError(`order ${orderId} committed but not found`);
    }
    // Paid, closed or cancelled meanwhile (a late redelivery): its close and CREATED status are moot,
    // and a CREATED status now would arrive after the later one.
    if (order.status === 'CREATED') {
      await this.closeScheduler.schedule(order.id);
      await this.statusPublisher.publish(order, 'CREATED', order.createdAt);
    }
    return outcome;
  }

  private find(orderId: string): Promise<PurchaseOrderEntity | null> {
    return this.dataSource.getRepository(PurchaseOrderEntity).findOneBy({ id: orderId });
  }
}
