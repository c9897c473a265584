import { type PurchaseRequestedEvent, Topics } from '@flashsale/contracts';
import { InjectProducer } from '@flashsale/mq/nest';
import { Producer } from '@flashsale/mq';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { PurchaseOrderEntity } from '../order/purchase-order.entity';
import { PurchaseGate } from './purchase-gate';
import type { PurchaseAnswer } from './purchase-refusal';
import { PurchaseRateLimiter } from './purchase-rate-limiter';
import type { TicketDto } from './ticket.dto';

/**
 * Flow 1 (DESIGN §4.1), the HTTP side: rate limit → Redis gate → request message → a ticket. Refusals
 * are answers, not exceptions (see purchase-refusal.ts); only a broken Redis throws.
 *
 * Interview: "消息如何保证投递的可靠性？" (How do you make sure a message is delivered?) — the request is
 * sent synchronously and only SEND_OK counts: the broker has stored it (and, with SYNC_FLUSH /
 * SYNC_MASTER, flushed or replicated it) before the buyer hears 202. Any other outcome undoes the
 * Redis decrement and answers 503, so a unit is never sold without a queued request.
 */
@Injectable()
export class PurchaseService {
  private readonly logger = new Logger(PurchaseService.name);

  constructor(
    private readonly rateLimiter: PurchaseRateLimiter,
    private readonly gate: PurchaseGate,
    @InjectProducer() private readonly producer: Producer,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async purchase(saleId: string, userId: string, quantity: number): Promise<PurchaseAnswer> {
    if (!(await this.rateLimiter.tryAcquire(userId))) return { accepted: false, refusal: 'RATE_LIMITED' };

    const outcome = await this.gate.admit(saleId, userId, quantity);
    if (!outcome.admitted) {
      const refusal = outcome.reason === 'NO_SUCH_SALE' ? 'SALE_NOT_FOUND' : outcome.reason;
      return { accepted: false, refusal };
    }

    const event: PurchaseRequestedEvent = {
      ticket: randomUUID(),
      saleId,
      sku: outcome.sku,
      userId,
      quantity,
      requestedAt: new Date().toISOString(),
    };
    const queued = await this.queue(event);
    return queued
      ? { accepted: true, ticket: event.ticket }
      : { accepted: false, refusal: 'PURCHASE_UNAVAILABLE' };
  }

  /** What became of a ticket, read from the order table (the ticket column is unique). */
  async ticket(ticket: string): Promise<TicketDto> {
    const order = await this.dataSource.getRepository(PurchaseOrderEntity).findOneBy({ ticket });
    if (!order) return { ticket, status: 'PENDING' };
    const failed = order.status === 'CANCELLED' && order.cancelReason === 'STOCK_DEDUCT_FAILED';
    return { ticket, status: failed ? 'FAILED' : 'CREATED', orderId: order.id, orderStatus: order.status };
  }

  /**
   * Sends the request; on any failure gives the units back (unless the consumer already has it).
   * True when the request is (or turned out to be) queued.
   */
  private async queue(event: PurchaseRequestedEvent): Promise<boolean> {
    let problem: string;
    try {
      const result = await this.producer.send({
        topic: Topics.PURCHASE_REQUEST,
        body: JSON.stringify(event),
        keys: event.ticket,
      });
      if (result.sendStatus === 'SEND_OK') return true;
      problem = result.sendStatus;
    } catch (error) {
      problem = error instanceof Error ? error.message : String(error);
    }

    let undone: boolean;
    try {
      undone = await this.gate.undo(event.saleId, event.ticket, event.userId, event.quantity);
    } catch (error) {
      // Redis failed too: the units stay taken without an order. Logged loudly so the books can be fixed.
      this.logger.error(
        `ticket ${event.ticket}: request not queued (${problem}) and units not given back: ${String(error)}`,
      );
      return false;
    }
    if (!undone) {
      // The consumer claimed the ticket: the message was stored after all (e.g. a lost reply).
      this.logger.warn(`ticket ${event.ticket}: send reported ${problem}, but the request was consumed`);
      return true;
    }
    this.logger.warn(`ticket ${event.ticket}: request not queued (${problem}); units given back`);
    return false;
  }
}
