import { type TestService } from '@flashsale/service-kit';
import { DataSource } from 'typeorm';
import { type InventoryTestEnv, startInventoryTestEnv } from './support/inventory-test-env';

describe('inventory service', () => {
  let env: InventoryTestEnv;
  let service: TestService;

  beforeAll(async () => {
    // The app exactly as main.ts builds it (HTTP + consumers), against a spawned broker.
    env = await startInventoryTestEnv();
    service = env.service;
  }, 120_000);

  afterAll(() => env?.stop());

  it('creates its database and runs the migrations', async () => {
    const rows: { table_name: string }[] = await service.app
      .get(DataSource)
      .query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`);

    expect(rows.map((row) => row.table_name)).toEqual([
      'migrations',
      'order_closed_before_deduction',
      'processed_message',
      'product',
      'stock_deduct_failure',
      'stock_movement',
    ]);
  });

  it('refuses a negative stock and a second deduction for the same order', async () => {
    const db = service.app.get(DataSource);
    await db.query(`INSERT INTO product (sku, name, stock) VALUES ('SKU-1', 'Phone', 1)`);

    await expect(db.query(`UPDATE product SET stock = stock - 2 WHERE sku = 'SKU-1'`)).rejects.toThrow(
      /product_stock_not_negative/,
    );
    const deduct = `INSERT INTO stock_movement (sku, order_id, kind, quantity)
                    VALUES ('SKU-1', '00000000-0000-4000-8000-000000000001', 'DEDUCT', 1)`;
    await db.query(deduct);
    await expect(db.query(deduct)).rejects.toThrow(/stock_movement_once_per_order/);
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
    expect(await response.text()).toMatch(/^process_cpu_user_seconds_total\{service="inventory"\} /m);
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
