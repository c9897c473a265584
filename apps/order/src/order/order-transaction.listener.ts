/**
 * Flow 2 (DESIGN §4.2) — transactional order creation, the local transaction and its check-back.
 *
 * Interview: "RocketMQ 的事务消息如何实现的？和本地事务怎么保证一致性？" (How are RocketMQ's
 * transactional messages implemented, and how do they stay consistent with the local transaction?) —
 * ORDER_CREATED is first stored as an invisible half message; then `executeLocalTransaction` inserts the
 * order row, and only a committed insert commits the message (inventory then deducts stock). If the
 * outcome never reaches the broker (crash, lost END_TRANSACTION, an error after the insert), the broker
 * asks `checkLocalTransaction`, and the answer comes from the order table, never from a guess:
 *
 * - the row exists → COMMIT_MESSAGE (the order is real, inventory must hear of it);
 * - no row, and the half message is older than ORDER_TX_ROLLBACK_AFTER_MS → ROLLBACK_MESSAGE: the
 *   local transaction cannot still commit, because it runs under a statement timeout far shorter than
 *   that window;
 * - no row, younger than that → UNKNOW: the insert may still be in flight (a slow database), and a
 *   rollback now could orphan an order that commits a moment later. The broker asks again later.
 */
import type {
  MessageExt,
  LocalTransactionState,
  TransactionListener,
  TransactionMessage,
} from '@flashsale/mq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OrderConfig } from '../config/order.config';

/** The order row the local transaction inserts (the `arg` of sendMessageInTransaction). */
export interface NewOrder {
  id: string;
  ticket: string;
  saleId: string;
  userId: string;
  quantity: number;
  amountCents: number;
}

/** Upper bound of the local transaction; ORDER_TX_ROLLBACK_AFTER_MS must stay well above it. */
export const LOCAL_TRANSACTION_TIMEOUT_MS = 10_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Injectable()
export class OrderTransactionListener implements TransactionListener<NewOrder> {
  private readonly logger = new Logger(OrderTransactionListener.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(OrderConfig) private readonly config: Pick<OrderConfig, 'ORDER_TX_ROLLBACK_AFTER_MS'>,
  ) {}

  /**
   * Inserts the order. The ticket is unique and the order id derived from it, so a redelivered
   * purchase request inserts nothing and commits its message for the order that already exists.
   */
  async executeLocalTransaction(
    _message: TransactionMessage,
    order: NewOrder,
  ): Promise<LocalTransactionState> {
    const exists = await this.dataSource.transaction(async (manager) => {
      await manager.query(`SET LOCAL statement_timeout = ${LOCAL_TRANSACTION_TIMEOUT_MS}`);
      await manager.query(
        `INSERT INTO purchase_order (id, ticket, sale_id, user_id, quantity, status, amount_cents)
         VALUES ($1, $2, $3, $4, $5, 'CREATED', $6)
         ON CONFLICT DO NOTHING`,
        [order.id, order.ticket, order.saleId, order.userId, order.quantity, order.amountCents],
      );
      const rows: unknown[] = await manager.query(`SELECT 1 FROM purchase_order WHERE id = $1`, [order.id]);
      return rows.length === 1;
    });
    // No row with this id after the insert means its ticket belongs to another order id: announcing
    // this one would name an order that does not exist.
    return exists ? 'COMMIT_MESSAGE' : 'ROLLBACK_MESSAGE';
  }

  async checkLocalTransaction(message: MessageExt, now = Date.now()): Promise<LocalTransactionState> {
    const orderId = orderIdOf(message);
    if (orderId === undefined) {
      this.logger.error(`check-back of ${message.msgId}: no order id in the message; rolling back`);
      return 'ROLLBACK_MESSAGE';
    }
    const rows: unknown[] = await this.dataSource.query(`SELECT 1 FROM purchase_order WHERE id = $1`, [
      orderId,
    ]);
    if (rows.length === 1) return 'COMMIT_MESSAGE';
    const age = now - message.bornTimestamp;
    const state = age >= this.config.ORDER_TX_ROLLBACK_AFTER_MS ? 'ROLLBACK_MESSAGE' : 'UNKNOW';
    this.logger.warn(`check-back of order ${orderId}: no row after ${age} ms → ${state}`);
    return state;
  }
}

/** The order id: the message key, else the body's `orderId`. */
function orderIdOf(message: MessageExt): string | undefined {
  const key = message.keys.find((candidate) => UUID.test(candidate));
  if (key) return key;
  try {
    const body = JSON.parse(message.body.toString('utf8')) as { orderId?: unknown };
    return typeof body.orderId === 'string' && UUID.test(body.orderId) ? body.orderId : undefined;
  } catch {
    return undefined;
  }
}
