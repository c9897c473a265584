/**
 * Flow 2 (stock side): ORDER_CREATED → deduct exactly once; never below zero; a refused deduction is
 * announced on STOCK_DEDUCT_FAILED exactly once. Real broker (spawned), PostgreSQL and Redis.
 */
import { randomUUID } from 'node:crypto';
import {
  ConsumerGroups,
  type OrderCreatedEvent,
  type StockDeductFailedEvent,
  Topics,
} from '@flashsale/contracts';
import { PushConsumer } from '@flashsale/mq';
import { DataSource } from 'typeorm';
import {
  type InventoryTestEnv,
  orderCreated,
  sleep,
  startInventoryTestEnv,
  waitUntil,
  waitUntilConsumed,
} from './support/inventory-test-env';

let env: InventoryTestEnv;
let failedListener: PushConsumer;
const failedEvents: StockDeductFailedEvent[] = [];

beforeAll(async () => {
  env = await startInventoryTestEnv();
  // Stands in for the order service: it must hear of every order that got no stock.
  failedListener = new PushConsumer({
    nameServer: env.broker.namesrvAddr,
    consumerGroup: `test-deduct-failed-${randomUUID()}`,
    consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
  });
  failedListener.subscribe(Topics.STOCK_DEDUCT_FAILED, '*');
  failedListener.registerMessageListener(async (messages) => {
    for (const message of messages) failedEvents.push(JSON.parse(message.body.toString()));
    return 'CONSUME_SUCCESS' as const;
  });
  await failedListener.start();
}, 120_000);

afterAll(async () => {
  await failedListener?.shutdown();
  await env?.stop();
});

const db = () => env.service.app.get(DataSource);

async function createProduct(sku: string, stock: number): Promise<void> {
  const response = await fetch(`${env.service.url}/products`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sku, name: `Product ${sku}`, stock }),
  });
  expect(response.status).toBe(201);
}

async function product(sku: string): Promise<{ stock: number; deducted: number; released: number }> {
  return (await (await fetch(`${env.service.url}/products/${sku}`)).json()) as {
    stock: number;
    deducted: number;
    released: number;
  };
}

async function publish(order: OrderCreatedEvent): Promise<void> {
  await env.producer.send({ topic: Topics.ORDER_CREATED, body: JSON.stringify(order), keys: order.orderId });
}

const failuresOf = (orderIds: string[]) => failedEvents.filter((event) => orderIds.includes(event.orderId));

it('deducts once when the same ORDER_CREATED is delivered twice', async () => {
  await createProduct('SKU-TWICE', 10);
  const order = orderCreated({ sku: 'SKU-TWICE', quantity: 2 });

  // Two sends of one order: two messages with different msgIds, as after a producer retry.
  await publish(order);
  await publish(order);
  await waitUntilConsumed(env.admin, ConsumerGroups.INVENTORY_DEDUCT, Topics.ORDER_CREATED);

  expect(await product('SKU-TWICE')).toMatchObject({ stock: 8, deducted: 2, released: 0 });
  const movements = await db().query(`SELECT kind, quantity FROM stock_movement WHERE order_id = $1`, [
    order.orderId,
  ]);
  expect(movements).toEqual([{ kind: 'DEDUCT', quantity: 2 }]);
  const markers = await db().query(`SELECT consumer_group FROM processed_message WHERE message_key = $1`, [
    order.orderId,
  ]);
  expect(markers).toEqual([{ consumer_group: ConsumerGroups.INVENTORY_DEDUCT }]);
});

it('deducts each order once under concurrent duplicate deliveries, and never below zero', async () => {
  await createProduct('SKU-RUSH', 6);
  const orders = Array.from({ length: 10 }, () => orderCreated({ sku: 'SKU-RUSH' }));

  // Every order three times, all 30 sends at once: the copies land on different queues and are
  // handled in parallel by the consumer.
  await Promise.all(orders.flatMap((order) => [publish(order), publish(order), publish(order)]));
  await waitUntilConsumed(env.admin, ConsumerGroups.INVENTORY_DEDUCT, Topics.ORDER_CREATED);

  expect(await product('SKU-RUSH')).toMatchObject({ stock: 0, deducted: 6 });
  const ids = orders.map((order) => order.orderId);
  const deducted: { order_id: string }[] = await db().query(
    `SELECT order_id FROM stock_movement WHERE order_id = ANY($1) AND kind = 'DEDUCT'`,
    [ids],
  );
  expect(deducted).toHaveLength(6);
  const refused = ids.filter((id) => !deducted.some((row) => row.order_id === id));

  // The four losers are announced, each exactly once, although each was delivered three times.
  await waitUntil(async () => failuresOf(refused).length >= 4, 'four STOCK_DEDUCT_FAILED');
  await sleep(1_000);
  const announced = failuresOf(ids);
  expect(announced.map((event) => event.orderId).sort()).toEqual([...refused].sort());
  expect(announced.every((event) => event.reason === 'INSUFFICIENT_STOCK')).toBe(true);
});

it('with stock 1, two orders: one deduction and one STOCK_DEDUCT_FAILED', async () => {
  await createProduct('SKU-LAST', 1);
  const first = orderCreated({ sku: 'SKU-LAST', saleId: 'sale-last' });
  const second = orderCreated({ sku: 'SKU-LAST', saleId: 'sale-last' });

  await Promise.all([publish(first), publish(second)]);
  await waitUntil(async () => failuresOf([first.orderId, second.orderId]).length > 0, 'STOCK_DEDUCT_FAILED');
  await waitUntilConsumed(env.admin, ConsumerGroups.INVENTORY_DEDUCT, Topics.ORDER_CREATED);
  await sleep(500);

  expect(await product('SKU-LAST')).toMatchObject({ stock: 0, deducted: 1 });
  const [failure, ...more] = failuresOf([first.orderId, second.orderId]);
  expect(more).toEqual([]);
  expect(failure).toMatchObject({
    saleId: 'sale-last',
    sku: 'SKU-LAST',
    quantity: 1,
    reason: 'INSUFFICIENT_STOCK',
  });
  const winner = failure.orderId === first.orderId ? second : first;
  const movements = await db().query(`SELECT order_id FROM stock_movement WHERE sku = 'SKU-LAST'`);
  expect(movements).toEqual([{ order_id: winner.orderId }]);
  const stored = await db().query(
    `SELECT reason, published_at FROM stock_deduct_failure WHERE order_id = $1`,
    [failure.orderId],
  );
  expect(stored).toEqual([{ reason: 'INSUFFICIENT_STOCK', published_at: expect.any(Date) }]);
});

it('announces an order for an unknown SKU as UNKNOWN_SKU and deducts nothing', async () => {
  const order = orderCreated({ sku: 'SKU-NOBODY-SELLS' });

  await publish(order);
  await waitUntil(async () => failuresOf([order.orderId]).length > 0, 'STOCK_DEDUCT_FAILED');

  expect(failuresOf([order.orderId])).toEqual([expect.objectContaining({ reason: 'UNKNOWN_SKU' })]);
  expect(await db().query(`SELECT 1 FROM stock_movement WHERE order_id = $1`, [order.orderId])).toEqual([]);
});
