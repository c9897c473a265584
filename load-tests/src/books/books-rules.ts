/**
 * "After a load test, the books must balance" (DESIGN.md §4) as rules over what BooksReader read: each
 * broken rule (or each order that breaks one) is one violation, worded so that a reader can go and look.
 *
 * Interview: "如何保证消息不丢失、不重复？" (no loss, no duplicates) — the rules are the observable
 * consequences: every admitted unit has exactly one order, every live order exactly one deduction,
 * every closed order its stock back, one notification per (order, status), nothing left in a queue.
 */
import type { Books, BooksFigures, MovementRow, OrderRow } from './books';

const LIVE = new Set(['CREATED', 'PAID']);
const ENDED = new Set(['CLOSED', 'CANCELLED']);

/** The rules of DESIGN.md §4 "the books must balance", one violation per broken rule or order. */
export function judgeBooks(
  books: Books,
  initialProductStock?: number,
): { figures: BooksFigures; violations: string[] } {
  const { sale, orders, givenBack, redisRemaining, productStock } = books;
  const violations: string[] = [];
  const units = (rows: OrderRow[]) => rows.reduce((sum, order) => sum + order.quantity, 0);
  const total = (rows: MovementRow[]) => rows.reduce((sum, movement) => sum + movement.quantity, 0);
  const live = orders.filter((order) => LIVE.has(order.status));
  const ended = orders.filter((order) => ENDED.has(order.status));
  const saleOrderIds = new Set(orders.map((order) => order.id));
  const deducts = books.movements.filter((movement) => movement.kind === 'DEDUCT');
  const releases = books.movements.filter((movement) => movement.kind === 'RELEASE');
  const deducted = new Set(deducts.map((movement) => movement.orderId));
  const released = new Set(releases.map((movement) => movement.orderId));
  const liveUnits = units(live);
  const admittedUnits = books.buyers.reduce((sum, [, bought]) => sum + bought, 0);
  const deductedUnits = total(deducts.filter((movement) => saleOrderIds.has(movement.orderId)));
  const releasedUnits = total(releases.filter((movement) => saleOrderIds.has(movement.orderId)));

  // Redis: what the gate sold is held by live orders, or by ended orders not given back yet.
  if (redisRemaining === null) {
    violations.push(`the sale's Redis stock counter ${books.stockKey} is missing`);
  } else {
    const sold = sale.quantity - redisRemaining;
    const notGivenBack = units(ended.filter((order) => !givenBack.has(order.id)));
    if (sold !== liveUnits + notGivenBack) {
      violations.push(
        `sold in Redis ${sold} (${sale.quantity} - ${redisRemaining}) != live order units ${liveUnits}` +
          ` + closed/cancelled units not given back ${notGivenBack}`,
      );
    }
    if (redisRemaining < 0) violations.push(`oversold: Redis remaining is ${redisRemaining}`);
  }
  for (const order of ended) {
    if (!givenBack.has(order.id))
      violations.push(`${order.status} order ${order.id}: units not back in Redis`);
  }
  // Every unit the gate let through became an order: none lost between the gate and the order table.
  if (admittedUnits !== units(orders)) {
    violations.push(`the gate admitted ${admittedUnits} units, the orders hold ${units(orders)}`);
  }

  // Inventory: deducted minus released is exactly what the live orders hold, order by order.
  if (deductedUnits - releasedUnits !== liveUnits) {
    violations.push(
      `inventory deducted ${deductedUnits} - released ${releasedUnits} != live order units ${liveUnits}`,
    );
  }
  for (const order of live) {
    if (!deducted.has(order.id)) violations.push(`${order.status} order ${order.id} has no deduction`);
    if (released.has(order.id)) violations.push(`${order.status} order ${order.id} had its stock released`);
  }
  for (const order of ended) {
    if (deducted.has(order.id) && !released.has(order.id)) {
      violations.push(`${order.status} order ${order.id} was deducted but never released`);
    }
  }
  for (const orderId of deducted) {
    if (!books.knownOrderIds.has(orderId))
      violations.push(`deduction for order ${orderId}, which does not exist`);
  }

  // No oversell, in the sale and in the stock of record.
  if (liveUnits > sale.quantity)
    violations.push(`oversold: ${liveUnits} live units in a sale of ${sale.quantity}`);
  if (productStock === null) violations.push(`product ${sale.sku} is missing in inventory`);
  else if (productStock < 0) violations.push(`product ${sale.sku} stock is negative: ${productStock}`);
  if (productStock !== null && initialProductStock !== undefined) {
    const expected = initialProductStock - total(deducts) + total(releases);
    if (productStock !== expected) {
      violations.push(
        `product stock ${productStock} != ${expected} (initial ${initialProductStock} - net movements)`,
      );
    }
  }

  // The per-user limit, in orders (closing one does not give the allowance back) and in Redis.
  const unitsByUser = new Map<string, number>();
  for (const order of orders)
    unitsByUser.set(order.userId, (unitsByUser.get(order.userId) ?? 0) + order.quantity);
  for (const [userId, bought] of unitsByUser) {
    if (bought > sale.perUserLimit)
      violations.push(`user ${userId} holds ${bought} units in orders (limit ${sale.perUserLimit})`);
  }
  for (const [userId, bought] of books.buyers) {
    if (bought > sale.perUserLimit)
      violations.push(`user ${userId} was admitted ${bought} units by the gate (limit ${sale.perUserLimit})`);
  }

  // One SMS per (order, status).
  const saleNotifications = books.notificationsPerStatus.filter((row) => saleOrderIds.has(row.orderId));
  for (const { orderId, status, count } of saleNotifications) {
    if (count > 1) violations.push(`${count} notifications for order ${orderId} ${status}`);
  }

  // The broker: nothing left unconsumed, waiting for a retry, or dead-lettered.
  if (books.queues) {
    for (const account of books.queues.groups) {
      if (account.lag > 0)
        violations.push(`${account.group}: ${account.lag} messages of ${account.topic} unconsumed`);
      if (account.retryLag > 0)
        violations.push(`${account.group}: ${account.retryLag} messages waiting in its retry topic`);
    }
    for (const letter of books.queues.deadLetters) {
      violations.push(
        `${letter.group}: dead letter ${letter.msgId} after ${letter.reconsumeTimes} retries: ${letter.body}`,
      );
    }
  }

  const ordersByStatus: Record<string, number> = {};
  for (const order of orders) ordersByStatus[order.status] = (ordersByStatus[order.status] ?? 0) + 1;
  const figures: BooksFigures = {
    saleQuantity: sale.quantity,
    perUserLimit: sale.perUserLimit,
    sku: sale.sku,
    redisRemaining,
    admittedUnits,
    ordersByStatus,
    liveUnits,
    deductedUnits,
    releasedUnits,
    productStock,
    notifications: saleNotifications.reduce((sum, row) => sum + row.count, 0),
  };
  if (books.queues) {
    figures.backlog = books.queues.groups.reduce((sum, account) => sum + account.lag + account.retryLag, 0);
    figures.deadLetters = books.queues.deadLetters.length;
  }
  return { figures, violations };
}
