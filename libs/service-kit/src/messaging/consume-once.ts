/**
 * Idempotent consumption — 如何保证消息幂等？ (How do you make message consumption idempotent?)
 *
 * RocketMQ delivers at least once: a producer retry after a timeout whose send in fact succeeded
 * stores the message twice, and a consumer that applied a message but lost its offset commit gets it
 * again after a restart or rebalance. The broker cannot tell these apart from new messages, so the
 * consumer must. The standard answer, used by every service here: record "group G has applied key K"
 * in a table whose primary key is (G, K), **in the same database transaction** as the business change.
 *
 * - first delivery: the insert succeeds, the change is applied, both commit together;
 * - a duplicate: the insert conflicts, nothing is applied, the delivery is acknowledged;
 * - a crash or an error mid-way: both roll back, so the redelivery applies the change exactly once;
 * - two deliveries at the same time: the second insert waits on the first one's row lock and then
 *   sees the conflict (or, if the first rolled back, goes ahead).
 *
 * The key should be the business identity of the effect (the order id for "deduct stock for this
 * order"), not the broker's message id: a producer retry creates a second message id for the same
 * business fact.
 */
import { type DataSource, type EntityManager } from 'typeorm';

export type ConsumeOnceOutcome<T> = { status: 'APPLIED'; result: T } | { status: 'DUPLICATE' };

export async function consumeOnce<T>(
  dataSource: DataSource,
  consumerGroup: string,
  messageKey: string,
  apply: (manager: EntityManager) => Promise<T>,
): Promise<ConsumeOnceOutcome<T>> {
  return dataSource.transaction(async (manager) => {
    const inserted: unknown[] = await manager.query(
      `INSERT INTO processed_message (consumer_group, message_key) VALUES ($1, $2)
       ON CONFLICT DO NOTHING RETURNING 1`,
      [consumerGroup, messageKey],
    );
    if (inserted.length === 0) return { status: 'DUPLICATE' };
    return { status: 'APPLIED', result: await apply(manager) };
  });
}
