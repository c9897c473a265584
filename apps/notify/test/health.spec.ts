import {
  createServiceApp,
  type Environment,
  loadServiceConfig,
  startTestService,
  type TestService,
} from '@flashsale/service-kit';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module';
import { NotifyConfig } from '../src/config/notify.config';

/** The notify app exactly as main.ts builds it, configured from `env`. */
const createNotifyApp = (env: Environment) =>
  createServiceApp(AppModule.forRoot(loadServiceConfig(NotifyConfig, env)));

describe('notify service', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startTestService('notify', createNotifyApp);
  });

  afterAll(() => service?.stop());

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
    expect(await response.text()).toMatch(/^process_cpu_user_seconds_total\{service="notify"\} /m);
  });
});
