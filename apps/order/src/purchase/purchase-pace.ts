/**
 * The steady pace at which admitted purchase requests become orders (PURCHASE_ORDERS_PER_SECOND).
 *
 * Interview: "削峰填谷" (shave the peak, fill the valley) — the buyers set the rate at the HTTP edge,
 * the consumer sets the rate at the database. The purchase consumer takes a slot here before each
 * order, so however the spike looks, orders are written at most this many a second, evenly spaced: a
 * flat line in the peak-shaving report. Whatever arrives faster stays in the broker as consumer lag,
 * and drains after the spike. Concurrency alone bounds the orders in flight, not the rate: with fast
 * round trips 8 handlers can still write hundreds of orders a second and take the CPU the HTTP edge
 * needs at the peak.
 *
 * Slots are handed out on a schedule (one every 1/rate s, never earlier than now), not refilled from
 * a bucket, so a quiet minute does not let a burst through afterwards.
 */
import { Injectable } from '@nestjs/common';
import { OrderConfig } from '../config/order.config';

@Injectable()
export class PurchasePace {
  private readonly intervalMillis: number;
  private nextSlot = 0;

  constructor(config: OrderConfig) {
    const rate = config.PURCHASE_ORDERS_PER_SECOND;
    this.intervalMillis = rate > 0 ? 1000 / rate : 0;
  }

  /** Resolves at this caller's slot: at once when the pace allows, later when others are ahead. */
  async take(now = performance.now()): Promise<void> {
    if (this.intervalMillis === 0) return;
    const slot = Math.max(now, this.nextSlot);
    this.nextSlot = slot + this.intervalMillis;
    if (slot > now) await new Promise((resolve) => setTimeout(resolve, slot - now));
  }
}
