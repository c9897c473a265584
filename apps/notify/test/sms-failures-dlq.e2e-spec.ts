/**
 * Flow 5 with an unreliable provider (30 % of sends fail): every notification ends up SENT exactly
 * once, or — after the allowed retries in place — its status update is in the dead-letter queue and its
 * row FAILED. Nothing is texted twice, and an order's later status is never texted before an earlier
 * one. Real broker (spawned), PostgreSQL, Redis.
 */
import { randomUUID } from 'node:crypto';
import { ConsumerGroups, type OrderStatusChangedEvent } from '@flashsale/contracts';
import { DataSource } from 'typeorm';
import { type NotifyTestEnv, sleep, startNotifyTestEnv, waitUntil } from './support/notify-test-env';

const MAX_RECONSUME_TIMES = 1;
let env: NotifyTestEnv;

beforeAll(async () => {
  env = await startNotifyTestEnv({
    SMS_LATENCY_MS: '2',
    SMS_FAILURE_RATE: '0.3',
    // Two attempts in all: with 30 % failures about 9 % of the notifications are dead-lettered.
    NOTIFY_MAX_RECONSUME_TIMES: String(MAX_RECONSUME_TIMES),
    NOTIFY_RETRY_PAUSE_MS: '50',
  });
}, 120_000);

afterAll(() => env?.stop());

it('sends each notification exactly once or dead-letters it, never twice, in order per order', async () => {
  const orders = Array.from({ length: 50 }, () => randomUUID());
  const db = env.service.app.get(DataSource);
  await Promise.all(
    orders.map(async (orderId) => {
      await env.publishStatus(orderId, 'CREATED');
      await env.publishStatus(orderId, 'PAID');
    }),
  );

  // Every notification settled: SENT, or FAILED on its last attempt (which then goes to the DLQ).
  await waitUntil(async () => {
    const [{ settled }] = await db.query(
      `SELECT count(*)::int AS settled FROM notification WHERE state IN ('SENT', 'FAILED')`,
    );
    return settled === 100;
  }, 'all 100 notifications to settle');
  const rows: { order_id: string; status: string; state: string; attempts: number }[] = await db.query(
    `SELECT order_id, status, state, attempts FROM notification`,
  );
  const failed = rows.filter((row) => row.state === 'FAILED');
  const deadLetterKeys = async () => {
    const letters = await env.admin.queryDeadLetterMessages(ConsumerGroups.NOTIFY_STATUS, { maxNum: 100 });
    return letters.map((letter) => {
      const event = JSON.parse(letter.body.toString()) as OrderStatusChangedEvent;
      return `${event.orderId}:${event.status}`;
    });
  };
  await waitUntil(async () => (await deadLetterKeys()).length >= failed.length, 'the dead letters');
  await sleep(300);

  // The dead letters are exactly the FAILED notifications, each once.
  const keyOf = (row: { order_id: string; status: string }) => `${row.order_id}:${row.status}`;
  expect((await deadLetterKeys()).sort()).toEqual(failed.map(keyOf).sort());
  expect(failed.every((row) => row.attempts === MAX_RECONSUME_TIMES + 1)).toBe(true);
  // P(no dead letter at all) = 0.91^100 ≈ 0.008 %: the DLQ path is exercised, not only allowed.
  expect(failed.length).toBeGreaterThan(0);

  // What reached the phones, counted by the gateway itself: each SENT row exactly once, FAILED never.
  const delivered = env.gateway.delivered().map((sms) => sms.idempotencyKey);
  const sent = rows.filter((row) => row.state === 'SENT').map(keyOf);
  expect([...delivered].sort()).toEqual([...sent].sort());
  expect(new Set(delivered).size).toBe(delivered.length);
  expect(env.gateway.repeatedKeys()).toBe(0);

  // In order per order: PAID never before CREATED (a dead-lettered CREATED lets PAID through after it).
  for (const orderId of orders) {
    const created = delivered.indexOf(`${orderId}:CREATED`);
    const paid = delivered.indexOf(`${orderId}:PAID`);
    if (created >= 0 && paid >= 0) expect(created).toBeLessThan(paid);
  }
  // Retries happened: some SENT rows needed a second attempt.
  expect(rows.some((row) => row.state === 'SENT' && row.attempts > 1)).toBe(true);
});
