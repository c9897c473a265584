/**
 * Flow 3 (stock side): ORDER_CLOSED gives an order's stock back to PostgreSQL and to the sale's Redis
 * counter exactly once, and a failed Redis step is retried by redelivery although the database part
 * is already done. Real broker (spawned, retry delays scaled down), PostgreSQL and Redis.
 */
import { ConsumerGroups, flashSaleKeys, type OrderCreatedEvent, Topics } from '@flashsale/contracts';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import {
  type InventoryTestEnv,
  orderClosed,
  orderCreated,
  requireEnv,
  sleep,
  startInventoryTestEnv,
  waitUntil,
  waitUntilConsumed,
} from './support/inventory-test-env';

let env: InventoryTestEnv;
let redis: Redis;

beforeAll(async () => {
  // Retries 100x faster than RocketMQ's ladder (first redelivery after 0.1 s instead of 10 s).
  env = await startInventoryTestEnv({ DELAY_LEVEL_SCALE: '0.01' });
  redis = new Redis(requireEnv('REDIS_URL'));
}, 120_000);

afterAll(async () => {
  redis?.disconnect();
  await env?.stop();
});

const db = () => env.service.app.get(DataSource);
const keysOf = (saleId: string) => flashSaleKeys(saleId, env.saleKeyPrefix);

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

async function publishCreated(order: OrderCreatedEvent): Promise<void> {
  await env.producer.send({ topic: Topics.ORDER_CREATED, body: JSON.stringify(order), keys: order.orderId });
}

async function publishClosed(order: OrderCreatedEvent): Promise<void> {
  const body = JSON.stringify(orderClosed(order));
  await env.producer.send({ topic: Topics.ORDER_CLOSED, body, keys: order.orderId });
}

it('restores the stock of record and the sale counter once when ORDER_CLOSED arrives twice', async () => {
  await createProduct('SKU-CLOSE', 5);
  const order = orderCreated({ sku: 'SKU-CLOSE', saleId: 'sale-close', quantity: 2 });
  // The purchase gate's view: 3 of 5 units left after it admitted this order.
  await redis.set(keysOf('sale-close').stock, '3');
  await publishCreated(order);
  await waitUntil(async () => (await product('SKU-CLOSE')).stock === 3, 'the deduction');

  await Promise.all([publishClosed(order), publishClosed(order)]);
  await waitUntilConsumed(env.admin, ConsumerGroups.INVENTORY_RELEASE, Topics.ORDER_CLOSED);

  expect(await product('SKU-CLOSE')).toMatchObject({ stock: 5, deducted: 2, released: 2 });
  expect(await redis.get(keysOf('sale-close').stock)).toBe('5');
  expect(await redis.smembers(keysOf('sale-close').released)).toEqual([order.orderId]);
  const movements = await db().query(`SELECT kind FROM stock_movement WHERE order_id = $1 ORDER BY id`, [
    order.orderId,
  ]);
  expect(movements).toEqual([{ kind: 'DEDUCT' }, { kind: 'RELEASE' }]);
});

it('gives an order that got no stock back to the sale counter only', async () => {
  await createProduct('SKU-NONE', 0);
  const order = orderCreated({ sku: 'SKU-NONE', saleId: 'sale-none' });
  await redis.set(keysOf('sale-none').stock, '0');
  await publishCreated(order);
  await waitUntilConsumed(env.admin, ConsumerGroups.INVENTORY_DEDUCT, Topics.ORDER_CREATED);

  await publishClosed(order);
  await publishClosed(order);
  await waitUntilConsumed(env.admin, ConsumerGroups.INVENTORY_RELEASE, Topics.ORDER_CLOSED);

  expect(await product('SKU-NONE')).toMatchObject({ stock: 0, deducted: 0, released: 0 });
  expect(await redis.get(keysOf('sale-none').stock)).toBe('1');
});

it('takes no stock for an order whose close arrived before its creation', async () => {
  // ORDER_CREATED and ORDER_CLOSED travel on different topics: with a deduction backlog longer than
  // the close delay, the close can be consumed first. The late deduction must then take nothing.
  await createProduct('SKU-LATE', 3);
  const order = orderCreated({ sku: 'SKU-LATE', saleId: 'sale-late', quantity: 1 });
  await redis.set(keysOf('sale-late').stock, '2');
  await publishClosed(order);
  await waitUntilConsumed(env.admin, ConsumerGroups.INVENTORY_RELEASE, Topics.ORDER_CLOSED);
  await publishCreated(order);
  await waitUntilConsumed(env.admin, ConsumerGroups.INVENTORY_DEDUCT, Topics.ORDER_CREATED);

  expect(await product('SKU-LATE')).toMatchObject({ stock: 3, deducted: 0, released: 0 });
  expect(await redis.get(keysOf('sale-late').stock)).toBe('3'); // the gate's unit came back once
  const failures = await db().query(`SELECT 1 FROM stock_deduct_failure WHERE order_id = $1`, [
    order.orderId,
  ]);
  expect(failures).toEqual([]); // not a failure either: the order service must not be told to cancel
});

it('retries the Redis step on redelivery after the database release committed', async () => {
  await createProduct('SKU-RETRY', 4);
  const order = orderCreated({ sku: 'SKU-RETRY', saleId: 'sale-retry', quantity: 1 });
  const keys = keysOf('sale-retry');
  await publishCreated(order);
  await waitUntil(async () => (await product('SKU-RETRY')).stock === 3, 'the deduction');

  // A counter INCRBY cannot add to: the Redis step fails (as it would with Redis down) after the
  // database release has committed.
  await redis.set(keys.stock, 'not-a-number');
  await publishClosed(order);
  await waitUntil(async () => (await product('SKU-RETRY')).released === 1, 'the database release');
  await sleep(500); // a few failed deliveries
  expect(await redis.get(keys.stock)).toBe('not-a-number');
  expect(await redis.smembers(keys.released)).toEqual([]);

  // Redis "comes back": the next redelivery finds the database part done (DUPLICATE) and restores.
  await redis.set(keys.stock, '2');
  await waitUntil(async () => (await redis.get(keys.stock)) === '3', 'the sale counter restored');
  await waitUntilConsumed(env.admin, ConsumerGroups.INVENTORY_RELEASE, Topics.ORDER_CLOSED);

  expect(await redis.get(keys.stock)).toBe('3');
  expect(await redis.smembers(keys.released)).toEqual([order.orderId]);
  expect(await product('SKU-RETRY')).toMatchObject({ stock: 4, deducted: 1, released: 1 });
});
