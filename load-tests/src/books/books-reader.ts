/**
 * Reads the books of one sale straight from where each service keeps them — the order table,
 * inventory's stock movements and product stock, notify's notifications, the sale's Redis counters and
 * (optionally) the broker's offsets — never through a service's API, so the check does not trust the
 * services it checks.
 */
import { flashSaleKeys } from '@flashsale/contracts';
import Redis from 'ioredis';
import { Client } from 'pg';
import type { Books, BooksTarget, MovementRow, OrderRow } from './books';
import { QueueAccounts } from './queue-accounts';

export interface BooksProgress {
  /** A line that changes whenever anything the queues drive changes. */
  fingerprint: string;
  /** Units the gate admitted that have no order yet. */
  pendingUnits: number;
  /** Unconsumed messages over every group and retry topic; 0 when the broker is not checked. */
  backlog: number;
}

export class BooksReader {
  private constructor(
    private readonly target: BooksTarget,
    private readonly orderDb: Client,
    private readonly inventoryDb: Client,
    private readonly notifyDb: Client,
    private readonly redis: Redis,
    private readonly queues: QueueAccounts | undefined,
  ) {}

  static async open(target: BooksTarget): Promise<BooksReader> {
    const clients = [target.orderDatabaseUrl, target.inventoryDatabaseUrl, target.notifyDatabaseUrl].map(
      (connectionString) => new Client({ connectionString }),
    );
    const redis = new Redis(target.redisUrl, { maxRetriesPerRequest: 2, lazyConnect: true });
    try {
      await Promise.all([...clients.map((client) => client.connect()), redis.connect()]);
    } catch (error) {
      await Promise.allSettled(clients.map((client) => client.end()));
      redis.disconnect();
      throw error;
    }
    const queues = target.nameServer ? new QueueAccounts(target.nameServer) : undefined;
    return new BooksReader(target, clients[0], clients[1], clients[2], redis, queues);
  }

  async close(): Promise<void> {
    this.queues?.close();
    this.redis.disconnect();
    await Promise.all([this.orderDb.end(), this.inventoryDb.end(), this.notifyDb.end()]);
  }

  async progress(): Promise<BooksProgress> {
    const [orders, movements, admitted, groups] = await Promise.all([
      this.orderDb.query<{ status: string; count: number; units: number }>(
        `SELECT status, count(*)::int AS count, sum(quantity)::int AS units
           FROM purchase_order WHERE sale_id = $1 GROUP BY status ORDER BY status`,
        [this.target.saleId],
      ),
      this.inventoryDb.query<{ kind: string; count: number }>(
        `SELECT kind, count(*)::int AS count FROM stock_movement GROUP BY kind ORDER BY kind`,
      ),
      this.admittedUnits(),
      this.queues?.groups() ?? Promise.resolve([]),
    ]);
    const orderUnits = orders.rows.reduce((sum, row) => sum + row.units, 0);
    const pendingUnits = admitted - orderUnits;
    const backlog = groups.reduce((sum, account) => sum + account.lag + account.retryLag, 0);
    const parts = [
      `orders ${orders.rows.map((row) => `${row.status} ${row.count}`).join(', ') || 'none'}`,
      `movements ${movements.rows.map((row) => `${row.kind} ${row.count}`).join(', ') || 'none'}`,
      `pending units ${pendingUnits}`,
    ];
    if (this.queues) parts.push(`backlog ${backlog}`);
    return { fingerprint: parts.join('; '), pendingUnits, backlog };
  }

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
      queues: await this.readQueues(saleId, orders.rows),
    };
  }

  private async readQueues(saleId: string, orders: OrderRow[]): Promise<Books['queues']> {
    if (!this.queues) return undefined;
    const ids = new Set([saleId, ...orders.map((order) => order.id)]);
    const [groups, deadLetters] = await Promise.all([
      this.queues.groups(),
      this.queues.deadLettersAbout(ids),
    ]);
    return { groups, deadLetters };
  }

  private async admittedUnits(): Promise<number> {
    const buyers = await this.redis.hvals(flashSaleKeys(this.target.saleId, this.target.salePrefix).buyers);
    return buyers.reduce((sum, value) => sum + Number(value), 0);
  }
}
