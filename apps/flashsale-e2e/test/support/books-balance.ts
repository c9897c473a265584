/**
 * "After a load test, the books must balance" (DESIGN.md §4), as a check anyone can run against a
 * stack: wait until the queues have drained, then compare what each service wrote — the order table,
 * inventory's stock movements and product stock, the sale's Redis counters, notify's notifications —
 * and list every way they disagree. An empty list means the books balance.
 *
 * It reads the databases and Redis directly (never a service's API) so that it checks the services
 * rather than trusting them.
 */
import { flashSaleKeys } from '@flashsale/contracts';
import Redis from 'ioredis';
import { Client } from 'pg';

export interface BooksTarget {
  orderDatabaseUrl: string;
  inventoryDatabaseUrl: string;
  notifyDatabaseUrl: string;
  redisUrl: string;
  /** SALE_KEY_PREFIX of the order and inventory services. */
  salePrefix: string;
  saleId: string;
  /** The product's stock before the sale, when known: then its stock of record is checked too. */
  initialProductStock?: number;
}

export interface DrainOptions {
  /** How long nothing may change (and nothing be pending) before the queues count as drained. */
  quietMs?: number;
  /** Give up waiting after this long; the check then runs anyway and says it did not drain. */
  timeoutMs?: number;
  pollMs?: number;
  /** Where the progress lines go. */
  log?: (line: string) => void;
}

export interface BooksFigures {
  saleQuantity: number;
  perUserLimit: number;
  sku: string;
  /** Units the Redis gate can still sell (null: the counter is gone). */
  redisRemaining: number | null;
  /** Units the gate let through, net of undone ones: the sum of the buyers hash. */
  admittedUnits: number;
  ordersByStatus: Record<string, number>;
  /** Units of CREATED + PAID orders. */
  liveUnits: number;
  deductedUnits: number;
  releasedUnits: number;
  productStock: number | null;
  notifications: number;
}

export interface BooksReport {
  drained: boolean;
  /** How long the queues took to drain (or the timeout). */
  drainMs: number;
  figures: BooksFigures;
  /** Empty when the books balance. */
  violations: string[];
}

interface OrderRow {
  id: string;
  userId: string;
  quantity: number;
  status: string;
}
interface MovementRow {
  orderId: string;
  kind: 'DEDUCT' | 'RELEASE';
  quantity: number;
}

const LIVE = new Set(['CREATED', 'PAID']);
const ENDED = new Set(['CLOSED', 'CANCELLED']);

/** Waits for the queues to drain, then checks the books of one sale. */
export async function checkBooksBalance(
  target: BooksTarget,
  options: DrainOptions = {},
): Promise<BooksReport> {
  const books = await BooksReader.open(target);
  try {
    const { drained, drainMs } = await waitUntilDrained(books, options);
    const { figures, violations } = judge(await books.read(), target.initialProductStock);
    if (!drained) violations.unshift(`the queues did not drain within ${drainMs} ms`);
    return { drained, drainMs, figures, violations };
  } finally {
    await books.close();
  }
}

/**
 * Drained = for `quietMs` on end, the order counts by status and the stock movements have not changed
 * and every unit the gate admitted has its order (no ticket still PENDING).
 */
async function waitUntilDrained(
  books: BooksReader,
  { quietMs = 3_000, timeoutMs = 60_000, pollMs = 500, log = (line) => console.log(line) }: DrainOptions,
): Promise<{ drained: boolean; drainMs: number }> {
  const started = Date.now();
  let last = '';
  let quietSince = started;
  let lastLog = 0;
  for (;;) {
    const progress = await books.progress();
    const now = Date.now();
    if (progress.fingerprint !== last) {
      last = progress.fingerprint;
      quietSince = now;
    }
    const quiet = now - quietSince;
    if (progress.pendingUnits === 0 && quiet >= quietMs) return { drained: true, drainMs: now - started };
    if (now - started >= timeoutMs) return { drained: false, drainMs: now - started };
    if (now - lastLog >= 5_000) {
      log(`books: draining ${((now - started) / 1000).toFixed(1)} s: ${progress.fingerprint}`);
      lastLog = now;
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

class BooksReader {
  private constructor(
    private readonly target: BooksTarget,
    private readonly orderDb: Client,
    private readonly inventoryDb: Client,
    private readonly notifyDb: Client,
    private readonly redis: Redis,
  ) {}

  static async open(target: BooksTarget): Promise<BooksReader> {
    const clients = [target.orderDatabaseUrl, target.inventoryDatabaseUrl, target.notifyDatabaseUrl].map(
      (connectionString) => new Client({ connectionString }),
    );
    await Promise.all(clients.map((client) => client.connect()));
    const redis = new Redis(target.redisUrl, { maxRetriesPerRequest: 2 });
    return new BooksReader(target, clients[0], clients[1], clients[2], redis);
  }

  async close(): Promise<void> {
    await Promise.all([this.orderDb.end(), this.inventoryDb.end(), this.notifyDb.end()]);
    this.redis.disconnect();
  }

  /** A line that changes whenever anything the queues drive changes, and the units still pending. */
  async progress(): Promise<{ fingerprint: string; pendingUnits: number }> {
    const [orders, movements, admitted] = await Promise.all([
      this.orderDb.query<{ status: string; count: number; units: number }>(
        `SELECT status, count(*)::int AS count, sum(quantity)::int AS units
           FROM purchase_order WHERE sale_id = $1 GROUP BY status ORDER BY status`,
        [this.target.saleId],
      ),
      this.inventoryDb.query<{ kind: string; count: number }>(
        `SELECT kind, count(*)::int AS count FROM stock_movement GROUP BY kind ORDER BY kind`,
      ),
      this.admittedUnits(),
    ]);
    const orderUnits = orders.rows.reduce((sum, row) => sum + row.units, 0);
    const pendingUnits = admitted - orderUnits;
    const fingerprint = [
      `orders ${orders.rows.map((row) => `${row.status} ${row.count}`).join(', ') || 'none'}`,
      `movements ${movements.rows.map((row) => `${row.kind} ${row.count}`).join(', ') || 'none'}`,
      `pending units ${pendingUnits}`,
    ].join('; ');
    return { fingerprint, pendingUnits };
  }

  /** Everything the books are judged on, read from the three databases and Redis. */
  async read(): Promise<Books> {
    const { saleId, salePrefix } = this.target;
    const sale = (
      await this.orderDb.query<Books['sale']>(
        `SELECT sku, quantity, per_user_limit AS "perUserLimit" FROM flash_sale WHERE id = $1`,
        [saleId],
      )
    ).rows[0];
    if (!sale) throw new Error(`no sale ${saleId} in the order database`);
    const keys = flashSaleKeys(saleId, salePrefix);
    const [orders, knownOrderIds, movements, product, notifications, remaining, buyers, givenBack] =
      await Promise.all([
        this.orderDb.query<OrderRow>(
          `SELECT id, user_id AS "userId", quantity, status FROM purchase_order WHERE sale_id = $1`,
          [saleId],
        ),
        // Orders of every sale of this product: a movement for none of them has no order.
        this.orderDb.query<{ id: string }>(
          `SELECT o.id FROM purchase_order o JOIN flash_sale s ON s.id = o.sale_id WHERE s.sku = $1`,
          [sale.sku],
        ),
        this.inventoryDb.query<MovementRow>(
          `SELECT order_id AS "orderId", kind, quantity FROM stock_movement WHERE sku = $1`,
          [sale.sku],
        ),
        this.inventoryDb.query<{ stock: number }>(`SELECT stock FROM product WHERE sku = $1`, [sale.sku]),
        this.notifyDb.query<{ orderId: string; status: string; count: number }>(
          `SELECT order_id AS "orderId", status, count(*)::int AS count FROM notification GROUP BY order_id, status`,
        ),
        this.redis.get(keys.stock),
        this.redis.hgetall(keys.buyers),
        this.redis.smembers(keys.released),
      ]);
    return {
      sale,
      stockKey: keys.stock,
      orders: orders.rows,
      knownOrderIds: new Set(knownOrderIds.rows.map((row) => row.id)),
      movements: movements.rows,
      productStock: product.rows[0]?.stock ?? null,
      notificationsPerStatus: notifications.rows,
      redisRemaining: remaining === null ? null : Number(remaining),
      buyers: Object.entries(buyers).map(([userId, units]) => [userId, Number(units)]),
      givenBack: new Set(givenBack),
    };
  }

  private async admittedUnits(): Promise<number> {
    const buyers = await this.redis.hvals(flashSaleKeys(this.target.saleId, this.target.salePrefix).buyers);
    return buyers.reduce((sum, value) => sum + Number(value), 0);
  }
}

interface Books {
  sale: { sku: string; quantity: number; perUserLimit: number };
  stockKey: string;
  orders: OrderRow[];
  knownOrderIds: Set<string>;
  movements: MovementRow[];
  productStock: number | null;
  notificationsPerStatus: { orderId: string; status: string; count: number }[];
  redisRemaining: number | null;
  /** The sale's buyers hash: userId → units the gate let through. */
  buyers: [string, number][];
  /** Orders whose units went back to the Redis stock (the shared `released` set). */
  givenBack: Set<string>;
}

/** The rules of DESIGN.md §4 "the books must balance", one violation per broken rule or order. */
function judge(
  books: Books,
  initialProductStock: number | undefined,
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
  for (const [userId, bought] of [...unitsByUser, ...books.buyers]) {
    if (bought > sale.perUserLimit)
      violations.push(`user ${userId} holds ${bought} units (limit ${sale.perUserLimit})`);
  }

  // One SMS per (order, status).
  for (const { orderId, status, count } of books.notificationsPerStatus) {
    if (count > 1) violations.push(`${count} notifications for order ${orderId} ${status}`);
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
    notifications: books.notificationsPerStatus.reduce((sum, row) => sum + row.count, 0),
  };
  return { figures, violations };
}
