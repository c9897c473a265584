import {
  createServiceApp,
  type Environment,
  loadServiceConfig,
  startTestService,
  type TestService,
} from '@flashsale/service-kit';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module';
import { InventoryConfig } from '../src/config/inventory.config';

/** The inventory app exactly as main.ts builds it, configured from `env`. */
const createInventoryApp = (env: Environment) =>
  createServiceApp(AppModule.forRoot(loadServiceConfig(InventoryConfig, env)));

describe('inventory service', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startTestService('inventory', createInventoryApp);
  });

  afterAll(() => service?.stop());

  it('creates its database and runs the migrations', async () => {
    const rows: { table_name: string }[] = await service.app
      .get(DataSource)
      .query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`);

    expect(rows.map((row) => row.table_name)).toEqual([
      'migrations',
      'processed_message',
      'product',
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

  it('GET /health reports the database and Redis up', async () => {
    const response = await fetch(`${service.url}/health`);

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: 'ok',
      details: { database: { status: 'up' }, redis: { status: 'up' } },
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
});
