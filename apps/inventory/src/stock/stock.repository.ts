import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, IsNull } from 'typeorm';
import { StockDeductFailureEntity, type StockDeductFailureReason } from './stock-deduct-failure.entity';
import type { StockMovementKind } from './stock-movement-kind';
import { StockMovementEntity } from './stock-movement.entity';

export type DeductOutcome =
  | { status: 'DEDUCTED'; stockLeft: number }
  | { status: 'ALREADY_DEDUCTED' }
  /** The order was closed before its ORDER_CREATED arrived: nothing to take. */
  | { status: 'ORDER_ALREADY_CLOSED' }
  | { status: 'FAILED'; reason: StockDeductFailureReason };

export type ReleaseOutcome =
  { released: true; quantity: number } | { released: false; reason: 'NOTHING_DEDUCTED' | 'ALREADY_RELEASED' };

export interface StockTotals {
  deducted: number;
  released: number;
}

export interface DeductRequest {
  orderId: string;
  saleId: string;
  sku: string;
  quantity: number;
}

/**
 * The SQL of stock changes. Methods that take an EntityManager run inside the caller's transaction
 * (the one `consumeOnce` opened), so the change and its idempotency marker commit or roll back together.
 */
@Injectable()
export class StockRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Deducts the order's quantity, or records why not. The conditional UPDATE is the oversell guard:
   * concurrent deductions of one SKU queue on its row lock and each re-checks `stock >= quantity`
   * against the committed value, so the stock can never go negative (the CHECK constraint would
   * refuse it anyway). The movement table is a second guard should the consumption marker ever be
   * bypassed (another key, a replayed message under a new group): an existing DEDUCT answers "already
   * done", and two racing transactions meet the unique (order_id, kind) constraint, which rolls the
   * loser back — update included — so it is redelivered and then finds the DEDUCT.
   */
  async deduct(manager: EntityManager, request: DeductRequest): Promise<DeductOutcome> {
    await lockOrder(manager, request.orderId);
    const closed: unknown[] = await manager.query(
      `SELECT 1 FROM order_closed_before_deduction WHERE order_id = $1`,
      [request.orderId],
    );
    if (closed.length > 0) return { status: 'ORDER_ALREADY_CLOSED' };
    const existing: unknown[] = await manager.query(
      `SELECT 1 FROM stock_movement WHERE order_id = $1 AND kind = 'DEDUCT'`,
      [request.orderId],
    );
    if (existing.length > 0) return { status: 'ALREADY_DEDUCTED' };

    const [rows, affected] = (await manager.query(
      `UPDATE product SET stock = stock - $2, updated_at = now()
       WHERE sku = $1 AND stock >= $2
       RETURNING stock`,
      [request.sku, request.quantity],
    )) as [{ stock: number }[], number];

    if (affected === 0) {
      const known: unknown[] = await manager.query(`SELECT 1 FROM product WHERE sku = $1`, [request.sku]);
      const reason: StockDeductFailureReason = known.length > 0 ? 'INSUFFICIENT_STOCK' : 'UNKNOWN_SKU';
      await manager.insert(StockDeductFailureEntity, {
        orderId: request.orderId,
        saleId: request.saleId,
        sku: request.sku,
        quantity: request.quantity,
        reason,
      });
      return { status: 'FAILED', reason };
    }

    // A plain INSERT: a unique violation must abort the transaction, undoing the UPDATE above.
    await manager.insert(StockMovementEntity, {
      orderId: request.orderId,
      sku: request.sku,
      kind: 'DEDUCT',
      quantity: request.quantity,
    });
    return { status: 'DEDUCTED', stockLeft: rows[0].stock };
  }

  /**
   * Gives back what this order's DEDUCT took — the movement, not the message, says how much, so a close
   * message can never release more than was deducted. An order whose deduction failed has nothing to
   * give back. An order with no deduction yet may simply not have been deducted *yet* (its
   * ORDER_CREATED is still queued behind others): the tombstone makes that late deduction skip.
   */
  async release(manager: EntityManager, orderId: string): Promise<ReleaseOutcome> {
    await lockOrder(manager, orderId);
    const deducted: { sku: string; quantity: number }[] = await manager.query(
      `SELECT sku, quantity FROM stock_movement WHERE order_id = $1 AND kind = 'DEDUCT'`,
      [orderId],
    );
    if (deducted.length === 0) {
      await manager.query(
        `INSERT INTO order_closed_before_deduction (order_id) VALUES ($1) ON CONFLICT DO NOTHING`,
        [orderId],
      );
      return { released: false, reason: 'NOTHING_DEDUCTED' };
    }

    const { sku, quantity } = deducted[0];
    // ON CONFLICT DO NOTHING: here the conflict is the answer "already released", not an error.
    const inserted: unknown[] = await manager.query(
      `INSERT INTO stock_movement (sku, order_id, kind, quantity) VALUES ($1, $2, 'RELEASE', $3)
       ON CONFLICT ON CONSTRAINT stock_movement_once_per_order DO NOTHING
       RETURNING id`,
      [sku, orderId, quantity],
    );
    if (inserted.length === 0) return { released: false, reason: 'ALREADY_RELEASED' };
    await manager.query(`UPDATE product SET stock = stock + $2, updated_at = now() WHERE sku = $1`, [
      sku,
      quantity,
    ]);
    return { released: true, quantity };
  }

  /**
   * Runs `publish` for this order's failure if it has not been published yet, and marks it published
   * in the same transaction. The row lock (SKIP LOCKED) keeps two concurrent deliveries of one order
   * from both publishing; the one that skips acknowledges, and if the publisher's send fails, its
   * own delivery is retried. A crash after the send but before the commit publishes again on the
   * redelivery: at least once, never zero times.
   */
  publishPendingFailure(
    orderId: string,
    publish: (failure: StockDeductFailureEntity) => Promise<void>,
  ): Promise<StockDeductFailureEntity | null> {
    return this.dataSource.transaction(async (manager) => {
      const failure = await manager.getRepository(StockDeductFailureEntity).findOne({
        where: { orderId, publishedAt: IsNull() },
        lock: { mode: 'pessimistic_write', onLocked: 'skip_locked' },
      });
      if (failure === null) return null;
      await publish(failure);
      await manager.update(StockDeductFailureEntity, { orderId }, { publishedAt: new Date() });
      return failure;
    });
  }

  async totals(sku: string): Promise<StockTotals> {
    const rows: { kind: StockMovementKind; total: string }[] = await this.dataSource.query(
      `SELECT kind, SUM(quantity) AS total FROM stock_movement WHERE sku = $1 GROUP BY kind`,
      [sku],
    );
    const total = (kind: StockMovementKind) => Number(rows.find((row) => row.kind === kind)?.total ?? 0);
    return { deducted: total('DEDUCT'), released: total('RELEASE') };
  }
}

/**
 * Serialises the deduction and the release of one order (a transaction-scoped advisory lock), so a
 * close racing its own creation cannot slip between "no deduction yet" and "deduct now".
 */
async function lockOrder(manager: EntityManager, orderId: string): Promise<void> {
  await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [orderId]);
}
