/**
 * Flow 1 (DESIGN §4.1) — the gate of peak shaving: one Redis Lua script decides, atomically, whether a
 * buyer gets units (window, per-user limit, stock) and takes them; losers are answered at once.
 *
 * Interview: "核心应用场景：流量削峰（秒杀）" (core use case: peak shaving for a flash sale) — the gate
 * turns a spike of requests into at most `quantity` messages; the database only ever sees those, at
 * the pace of the purchase consumer.
 *
 * Keys: the sale's `flashSaleKeys` (stock, meta, buyers — shared with inventory) and, for this service
 * alone, a `tickets` hash under the same `{sale:<id>}` hash tag, so all of a sale's keys sit in one
 * Redis Cluster slot, as multi-key scripts require.
 */
import { flashSaleKeys } from '@flashsale/contracts';
import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { OrderConfig } from '../config/order.config';
import { LuaScript } from '../redis/lua-script';
import { SALE_REDIS } from '../redis/sale-redis.module';
import { PURCHASE_GATE_LUA } from './purchase-gate.lua';
import { PURCHASE_UNDO_LUA } from './purchase-undo.lua';
import type { PurchaseRejection } from './purchase-refusal';
import { TICKET_CLAIM_LUA } from './ticket-claim.lua';

export type GateOutcome =
  | { admitted: true; stockLeft: number; sku: string }
  | {
      admitted: false;
      reason: PurchaseRejection | 'NO_SUCH_SALE' | 'QUANTITY_ABOVE_LIMIT';
      stockLeft: number;
    };

const REJECTIONS: Record<number, Exclude<GateOutcome, { admitted: true }>['reason']> = {
  [-1]: 'NO_SUCH_SALE',
  [-2]: 'NOT_STARTED',
  [-3]: 'ENDED',
  [-4]: 'QUANTITY_ABOVE_LIMIT',
  [-5]: 'ALREADY_BOUGHT',
  [-6]: 'SOLD_OUT',
};

const admitScript = new LuaScript('purchase-gate', PURCHASE_GATE_LUA, 3);
const undoScript = new LuaScript('purchase-undo', PURCHASE_UNDO_LUA, 3);
const claimScript = new LuaScript('ticket-claim', TICKET_CLAIM_LUA, 1);

@Injectable()
export class PurchaseGate {
  constructor(
    @Inject(SALE_REDIS) private readonly redis: Redis,
    @Inject(OrderConfig) private readonly config: Pick<OrderConfig, 'SALE_KEY_PREFIX'>,
  ) {}

  /** Takes `quantity` units for `userId` if the window, the limit and the stock allow it. */
  async admit(saleId: string, userId: string, quantity: number, now = Date.now()): Promise<GateOutcome> {
    const keys = flashSaleKeys(saleId, this.config.SALE_KEY_PREFIX);
    const [code, stockLeft, sku] = await admitScript.run<[number, number, string]>(
      this.redis,
      [keys.meta, keys.stock, keys.buyers],
      [userId, quantity, now],
    );
    if (code === 1) return { admitted: true, stockLeft, sku };
    const reason = REJECTIONS[code];
    if (reason === undefined) throw new Error(`purchase-gate script returned unknown code ${code}`);
    return { admitted: false, reason, stockLeft };
  }

  /**
   * Gives an admitted purchase back (its request could not be sent). False when the purchase consumer
   * has already claimed the ticket: the message was stored despite the error, and the order stands.
   */
  async undo(saleId: string, ticket: string, userId: string, quantity: number): Promise<boolean> {
    const keys = flashSaleKeys(saleId, this.config.SALE_KEY_PREFIX);
    const undone = await undoScript.run<number>(
      this.redis,
      [keys.stock, keys.buyers, this.ticketsKey(saleId)],
      [ticket, userId, quantity],
    );
    return undone === 1;
  }

  /** The purchase consumer's side: true = create the order; false = the gate voided this ticket. */
  async claimTicket(saleId: string, ticket: string): Promise<boolean> {
    return (await claimScript.run<number>(this.redis, [this.ticketsKey(saleId)], [ticket])) === 1;
  }

  private ticketsKey(saleId: string): string {
    return `${this.config.SALE_KEY_PREFIX}{sale:${saleId}}:tickets`;
  }
}
