/**
 * Flows 4 and 5: status changes sharded by order id are notified in order, one SMS per (order, status),
 * and a redelivery after a successful send texts nobody twice. Real broker (spawned), PostgreSQL, Redis.
 */
import { randomUUID } from 'node:crypto';
import { ConsumerGroups, Topics } from '@flashsale/contracts';
import { DataSource } from 'typeorm';
import { type NotifyTestEnv, sleep, startNotifyTestEnv, waitUntil } from './support/notify-test-env';

let env: NotifyTestEnv;

beforeAll(async () => {
  env = await startNotifyTestEnv({ SMS_LATENCY_MS: '5', SMS_FAILURE_RATE: '0' });
}, 120_000);

afterAll(() => env?.stop());

const db = () => env.service.app.get(DataSource);

async function sentCount(): Promise<number> {
  const [{ count }] = await db().query(
    `SELECT count(*)::int AS count FROM notification WHERE state = 'SENT'`,
  );
  return count;
}

it('notifies CREATED then PAID for each of 50 orders, in order, once each', async () => {
  const orders = Array.from({ length: 50 }, () => randomUUID());

  // Each order's changes in the order they happened; the orders themselves interleave.
  await Promise.all(
    orders.map(async (orderId) => {
      await env.publishStatus(orderId, 'CREATED');
      await env.publishStatus(orderId, 'PAID');
    }),
  );
  await waitUntil(async () => (await sentCount()) === 100, '100 notifications sent');

  const delivered = env.gateway.delivered();
  expect(delivered).toHaveLength(100);
  for (const orderId of orders) {
    const keys = delivered
      .filter((sms) => sms.idempotencyKey.startsWith(orderId))
      .map((sms) => sms.idempotencyKey);
    expect(keys).toEqual([`${orderId}:CREATED`, `${orderId}:PAID`]);
  }
  const rows: { attempts: number; state: string }[] = await db().query(
    `SELECT attempts, state FROM notification`,
  );
  expect(rows.every((row) => row.attempts === 1 && row.state === 'SENT')).toBe(true);
});

it('GET /orders/:orderId/notifications lists them in the order they were sent', async () => {
  const orderId = randomUUID();
  await env.publishStatus(orderId, 'CREATED');
  await env.publishStatus(orderId, 'CLOSED');
  await waitUntil(async () => (await sentCount()) === 102, 'both notifications sent');

  const response = await fetch(`${env.service.url}/orders/${orderId}/notifications`);

  expect(response.status).toBe(200);
  const body = (await response.json()) as {
    status: string;
    state: string;
    attempts: number;
    sentAt: string;
  }[];
  expect(body.map(({ status, state, attempts }) => ({ status, state, attempts }))).toEqual([
    { status: 'CREATED', state: 'SENT', attempts: 1 },
    { status: 'CLOSED', state: 'SENT', attempts: 1 },
  ]);
  expect(Date.parse(body[0].sentAt)).toBeLessThanOrEqual(Date.parse(body[1].sentAt));
  expect(await (await fetch(`${env.service.url}/orders/${randomUUID()}/notifications`)).json()).toEqual([]);
  expect((await fetch(`${env.service.url}/orders/not-a-uuid/notifications`)).status).toBe(400);
});

it('does not text again when a status update is redelivered after it was sent', async () => {
  const orderId = randomUUID();
  await env.publishStatus(orderId, 'CREATED');
  await waitUntil(async () => (await sentCount()) === 103, 'the first notification');

  // The same status again, as after a producer retry or a lost offset commit.
  await env.publishStatus(orderId, 'CREATED');
  await waitUntil(async () => {
    const stats = await env.admin.examineConsumeStats(ConsumerGroups.NOTIFY_STATUS, Topics.ORDER_STATUS);
    return stats.totalLag === 0;
  }, 'the duplicate to be consumed');
  await sleep(200);

  expect(env.gateway.delivered().filter((sms) => sms.idempotencyKey === `${orderId}:CREATED`)).toHaveLength(
    1,
  );
  expect(env.gateway.repeatedKeys()).toBe(0); // skipped by the SENT row, not absorbed by the gateway
  const rows = await db().query(`SELECT attempts, state FROM notification WHERE order_id = $1`, [orderId]);
  expect(rows).toEqual([{ attempts: 1, state: 'SENT' }]);
});
