/**
 * Flow 3 (delayed close) across all three services, as real processes: an unpaid order closes when its
 * timer message fires, and its unit goes back everywhere — stock of record in inventory, the sale's
 * Redis counter — while a paid order is left alone, and notify tells each buyer in the right order.
 */
import { flashSaleKeys } from '@flashsale/contracts';
import Redis from 'ioredis';
import { Client } from 'pg';
import { checkBooksBalance } from '@flashsale/load-tests';
import { FlashSaleStack } from './support/flash-sale-stack';
import { poll, sleep } from './support/async';

const CLOSE_DELAY_MS = 3_000;
const PRODUCT_STOCK = 10;
const SALE_QUANTITY = 5;

describe('delayed order close across order, inventory and notify', () => {
  let stack: FlashSaleStack;
  let redis: Redis;

  beforeAll(async () => {
    stack = await FlashSaleStack.start({
      // A fine timer wheel, so the close fires close to its 3 s rather than up to a second late.
      brokerEnv: { TIMER_PRECISION_MS: '100' },
      order: { ORDER_CLOSE_DELAY_MS: String(CLOSE_DELAY_MS) },
    });
    redis = new Redis(process.env.REDIS_URL!);
  }, 150_000);

  afterAll(async () => {
    redis?.disconnect();
    await stack?.stop();
  }, 60_000);

  /** Buys one unit and waits for the order the purchase consumer creates for the ticket. */
  async function buy(saleId: string, userId: string): Promise<string> {
    const answer = await stack.http('order', 'POST', `/sales/${saleId}/purchases`, { userId, quantity: 1 });
    expect(answer.status).toBe(202);
    return poll(`the order of ${userId}`, async () => {
      const ticket = await stack.http('order', 'GET', `/tickets/${answer.body.ticket}`);
      return ticket.body.status === 'CREATED' ? (ticket.body.orderId as string) : undefined;
    });
  }

  const orderStatus = async (orderId: string) =>
    (await stack.http('order', 'GET', `/orders/${orderId}`)).body.status as string;

  const notifiedStatuses = async (orderId: string) =>
    (
      (await stack.http('notify', 'GET', `/orders/${orderId}/notifications`)).body as { status: string }[]
    ).map((notification) => notification.status);

  it('closes the unpaid order after the delay, gives its unit back to PostgreSQL and Redis, keeps the paid one, and notifies in order', async () => {
    const sale = await stack.createSale({
      productStock: PRODUCT_STOCK,
      quantity: SALE_QUANTITY,
      perUserLimit: 1,
    });
    const payer = await buy(sale.id, 'alice');
    const createdAt = Date.now();
    const idler = await buy(sale.id, 'bob');

    // Paid well within the delay, so its close check finds it PAID and leaves it.
    const paid = await stack.http('order', 'POST', `/orders/${payer}/pay`);
    expect(paid.status).toBe(200);
    expect(paid.body.status).toBe('PAID');

    await poll('the unpaid order to close', async () => (await orderStatus(idler)) === 'CLOSED');
    expect(Date.now() - createdAt).toBeGreaterThanOrEqual(CLOSE_DELAY_MS - 500);

    // The release is asynchronous (ORDER_CLOSED → inventory): both sides of the unit come back.
    const inventory = new Client({ connectionString: stack.databaseUrl('inventory') });
    await inventory.connect();
    try {
      await poll('the stock of record to be released', async () => {
        const rows = await inventory.query<{ stock: number }>(`SELECT stock FROM product WHERE sku = $1`, [
          sale.sku,
        ]);
        return rows.rows[0]?.stock === PRODUCT_STOCK - 1;
      });
    } finally {
      await inventory.end();
    }
    const stockKey = flashSaleKeys(sale.id, stack.salePrefix).stock;
    await poll(
      'the Redis counter to get the unit back',
      async () => (await redis.get(stockKey)) === String(SALE_QUANTITY - 1),
    );

    // The payer's own close check has fired by now (it was scheduled first) and changed nothing.
    await sleep(Math.max(0, createdAt + CLOSE_DELAY_MS + 1_500 - Date.now()));
    expect(await orderStatus(payer)).toBe('PAID');

    const late = await stack.http('order', 'POST', `/orders/${idler}/pay`);
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('ORDER_CLOSED');
    expect(await orderStatus(idler)).toBe('CLOSED');

    await poll('the PAID notification', async () => (await notifiedStatuses(payer)).length === 2);
    await poll('the CLOSED notification', async () => (await notifiedStatuses(idler)).length === 2);
    expect(await notifiedStatuses(payer)).toEqual(['CREATED', 'PAID']);
    expect(await notifiedStatuses(idler)).toEqual(['CREATED', 'CLOSED']);

    const books = await checkBooksBalance(stack.booksTarget(sale.id, PRODUCT_STOCK), { quietMs: 1_500 });
    expect(books.violations).toEqual([]);
    expect(books.figures).toMatchObject({
      ordersByStatus: { PAID: 1, CLOSED: 1 },
      redisRemaining: SALE_QUANTITY - 1,
      deductedUnits: 2,
      releasedUnits: 1,
      productStock: PRODUCT_STOCK - 1,
    });
  }, 90_000);
});
