import { type TestService } from '@flashsale/service-kit';
import { DataSource } from 'typeorm';
import { type NotifyTestEnv, startNotifyTestEnv } from './support/notify-test-env';

describe('notify service', () => {
  let env: NotifyTestEnv;
  let service: TestService;

  beforeAll(async () => {
    // The app exactly as main.ts builds it (HTTP + the orderly consumer), against a spawned broker.
    env = await startNotifyTestEnv();
    service = env.service;
  }, 120_000);

  afterAll(() => env?.stop());

  it('creates its database and runs the migrations', async () => {
    const rows: { table_name: string }[] = await service.app
      .get(DataSource)
      .query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`);

    expect(rows.map((row) => row.table_name)).toEqual(['migrations', 'notification', 'processed_message']);
  });

  it('keeps one notification per order and status', async () => {
    const db = service.app.get(DataSource);
    const insert = `INSERT INTO notification (order_id, status, phone, body)
                    VALUES ('00000000-0000-4000-8000-000000000001', 'PAID', '+10000000000', 'Paid')`;
    await db.query(insert);

    await expect(db.query(insert)).rejects.toThrow(/notification_once_per_status/);
  });

  it('GET /health reports the database, Redis and the broker up', async () => {
    const response = await fetch(`${service.url}/health`);

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: 'ok',
      details: { database: { status: 'up' }, redis: { status: 'up' }, broker: { status: 'up', brokers: 1 } },
    });
  });

  it('GET /alive answers 200', async () => {
    expect((await fetch(`${service.url}/alive`)).status).toBe(200);
  });

  it('GET /metrics serves Prometheus text labelled with the service', async () => {
    const response = await fetch(`${service.url}/metrics`);

    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/^process_cpu_user_seconds_total\{service="notify"\} /m);
  });

  // Last: it stops the broker.
  it('GET /health answers 503 with the broker down once no NameServer answers', async () => {
    await env.broker.stop();

    const response = await fetch(`${service.url}/health`);

    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({
      status: 'error',
      details: { database: { status: 'up' }, broker: { status: 'down' } },
    });
  });
});
