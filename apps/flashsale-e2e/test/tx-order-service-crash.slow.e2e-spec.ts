/**
 * Flow 2 (transactional order → stock deduction) under a crash: the order process is SIGKILLed while it
 * turns purchase requests into orders, so some half messages are left with their local transaction
 * committed (or not) and no END_TRANSACTION. A new order process — same database, same producer
 * group — must let the broker's check-backs settle them from the order table, and the redelivered
 * requests must finish the rest, so that every order gets exactly its deduction and nothing else.
 */
import { Topics } from '@flashsale/contracts';
import { MessageConst, PushConsumer } from '@flashsale/mq';
import { Client } from 'pg';
import { inParallel, poll } from './support/async';
import { checkBooksBalance } from '@flashsale/load-tests';
import { FlashSaleStack } from './support/flash-sale-stack';

const PURCHASES = 300;
const PRODUCT_STOCK = 1_000;

describe('transactional order creation when the order service crashes', () => {
  let stack: FlashSaleStack;
  let recorder: PushConsumer | undefined;
  /** Committed ORDER_CREATED messages: order id → how many times the broker checked back first. */
  const committed: { orderId: string; checks: number }[] = [];

  beforeAll(async () => {
    stack = await FlashSaleStack.start({
      brokerEnv: {
        TRANSACTION_CHECK_INTERVAL: '1000',
        TRANSACTION_TIMEOUT: '2000',
        // Checks count while no producer of the group is online (during the restart): allow plenty, so
        // a half message is not discarded before the new process can answer.
        TRANSACTION_CHECK_MAX: '120',
      },
      order: {
        // The smallest the order service accepts (it must exceed the local transaction's 10 s timeout).
        ORDER_TX_ROLLBACK_AFTER_MS: '11000',
        // A slower pace, so the kill lands while requests are still being consumed.
        PURCHASE_CONSUMER_CONCURRENCY: '4',
        PURCHASE_RATE_LIMIT_PER_USER: '10000',
      },
    });
    // A group of our own on ORDER_CREATED: the committed messages carry TRANSACTION_CHECK_TIMES when a
    // check-back (rather than the producer's own END_TRANSACTION) committed them.
    recorder = new PushConsumer({
      nameServer: stack.broker.namesrvAddr,
      consumerGroup: `e2e_${stack.runId}_order_created_recorder`,
      consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
    });
    recorder.subscribe(Topics.ORDER_CREATED, '*');
    recorder.registerMessageListener(async (messages) => {
      for (const message of messages) {
        const { orderId } = JSON.parse(message.body.toString('utf8')) as { orderId: string };
        committed.push({
          orderId,
          checks: Number(message.properties[MessageConst.TRANSACTION_CHECK_TIMES] ?? 0),
        });
      }
      return 'CONSUME_SUCCESS' as const;
    });
    await recorder.start();
  }, 150_000);

  afterAll(async () => {
    await recorder?.shutdown();
    await stack?.stop();
  }, 60_000);

  it('gives every order exactly one deduction after a SIGKILL mid-consumption and a restart', async () => {
    const sale = await stack.createSale({
      productStock: PRODUCT_STOCK,
      quantity: PURCHASES,
      perUserLimit: 1,
    });
    const orderDb = new Client({ connectionString: stack.databaseUrl('order') });
    const inventoryDb = new Client({ connectionString: stack.databaseUrl('inventory') });
    await Promise.all([orderDb.connect(), inventoryDb.connect()]);
    const orderCount = async () =>
      (await orderDb.query<{ count: number }>(`SELECT count(*)::int AS count FROM purchase_order`)).rows[0]
        .count;

    try {
      const users = Array.from({ length: PURCHASES }, (_, i) => `buyer-${i}`);
      const answers = await inParallel(users, 50, (userId) =>
        stack.http('order', 'POST', `/sales/${sale.id}/purchases`, { userId, quantity: 1 }),
      );
      expect(answers.map((answer) => answer.status)).toEqual(users.map(() => 202));
      const tickets = answers.map((answer) => answer.body.ticket as string);

      // Killed once the consumer is well under way, with requests still queued and in flight.
      await poll(
        'the purchase consumer to get going',
        async () => (await orderCount()) >= PURCHASES / 5,
        30_000,
      );
      await stack.order.stop('SIGKILL');
      const ordersAtKill = await orderCount();
      const committedAtKill = committed.length;
      expect(ordersAtKill).toBeLessThan(PURCHASES);

      const restartedAt = new Date();
      await stack.restartOrder();

      const books = await checkBooksBalance(stack.booksTarget(sale.id, PRODUCT_STOCK), {
        quietMs: 5_000,
        timeoutMs: 60_000,
      });
      const createdAfterRestart = (
        await orderDb.query<{ count: number }>(
          `SELECT count(*)::int AS count FROM purchase_order WHERE created_at >= $1`,
          [restartedAt],
        )
      ).rows[0].count;
      const byCheckBack = committed.filter((message) => message.checks > 0);
      const checkBackLines = stack.order.output().match(/check-back of order .*/g) ?? [];
      console.log(
        `crash: killed with ${ordersAtKill}/${PURCHASES} orders and ${committedAtKill} ORDER_CREATED committed; ` +
          `${createdAfterRestart} orders created by the new process; drained in ${books.drainMs} ms; ` +
          `ORDER_CREATED committed ${committed.length} times for ${new Set(committed.map((m) => m.orderId)).size} orders, ` +
          `${byCheckBack.length} of them by check-back; check-backs without an order row: ${checkBackLines.length}`,
      );

      // Every admitted ticket ended as an order (or a failure with its reason), none left PENDING.
      const states = await inParallel(tickets, 20, async (ticket) => {
        const answer = await stack.http('order', 'GET', `/tickets/${ticket}`);
        return answer.body.status as string;
      });
      expect(states.filter((state) => state !== 'CREATED' && state !== 'FAILED')).toEqual([]);
      // The product has stock for every order, so none may have failed.
      expect(states.filter((state) => state === 'CREATED')).toHaveLength(PURCHASES);

      // No order without a deduction, no deduction without an order.
      const orderIds = (
        await orderDb.query<{ id: string }>(`SELECT id FROM purchase_order ORDER BY id`)
      ).rows.map((row) => row.id);
      const deducted = (
        await inventoryDb.query<{ order_id: string }>(
          `SELECT order_id FROM stock_movement WHERE kind = 'DEDUCT' ORDER BY order_id`,
        )
      ).rows.map((row) => row.order_id);
      expect(orderIds).toHaveLength(PURCHASES);
      expect(deducted).toEqual(orderIds);

      expect(books.violations).toEqual([]);
      expect(books.figures).toMatchObject({
        ordersByStatus: { CREATED: PURCHASES },
        deductedUnits: PURCHASES,
        productStock: PRODUCT_STOCK - PURCHASES,
        redisRemaining: 0,
      });
    } finally {
      await Promise.all([orderDb.end(), inventoryDb.end()]);
    }
  }, 120_000);
});
