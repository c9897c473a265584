import { randomUUID } from 'node:crypto';
import { REDIS, type TestService, unusedPort } from '@flashsale/service-kit';
import type { SpawnedBroker } from '@flashsale/testing';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { startBroker, startOrderService } from './support/order-test-env';

let broker: SpawnedBroker;

beforeAll(async () => {
  broker = await startBroker();
});

afterAll(() => broker?.stop());

describe('order service', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startOrderService(broker);
  });

  afterAll(() => service?.stop());

  it('creates its database and runs the migrations', async () => {
    const rows: { table_name: string }[] = await service.app
      .get(DataSource)
      .query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`);

    expect(rows.map((row) => row.table_name)).toEqual([
      'flash_sale',
      'migrations',
      'processed_message',
      'purchase_order',
    ]);
  });

  it('enforces the order status list in the database', async () => {
    const db = service.app.get(DataSource);
    const [{ id: saleId }] = await db.query(
      `INSERT INTO flash_sale (sku, title, price_cents, quantity, starts_at, ends_at)
       VALUES ('SKU-1', 'Test sale', 999, 10, now(), now() + interval '1 hour') RETURNING id`,
    );

    await expect(
      db.query(
        `INSERT INTO purchase_order (id, sale_id, user_id, quantity, status, amount_cents)
         VALUES (gen_random_uuid(), $1, 'u1', 1, 'SHIPPED', 999)`,
        [saleId],
      ),
    ).rejects.toThrow(/purchase_order_status/);
  });

  it('GET /health reports the database, Redis and the broker up', async () => {
    const response = await fetch(`${service.url}/health`);

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: 'ok',
      details: { database: { status: 'up' }, redis: { status: 'up' }, broker: { status: 'up' } },
    });
  });

  it('GET /alive answers 200', async () => {
    const response = await fetch(`${service.url}/alive`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('GET /metrics serves Prometheus text labelled with the service', async () => {
    const response = await fetch(`${service.url}/metrics`);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await response.text()).toMatch(/^process_cpu_user_seconds_total\{service="order"\} /m);
  });

  it('GET /docs-json serves the OpenAPI document', async () => {
    const response = await fetch(`${service.url}/docs-json`);

    expect(response.status).toBe(200);
    const document = (await response.json()) as { info: { title: string }; paths: Record<string, unknown> };
    expect(document.info.title).toBe('Flash-sale order service');
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/health',
        '/alive',
        '/sales',
        '/sales/{id}',
        '/sales/{id}/purchases',
        '/tickets/{ticket}',
        '/orders/{id}',
        '/orders/{id}/pay',
        '/orders/{id}/cancel',
      ]),
    );
  });

  it('GET /docs serves the Swagger UI page', async () => {
    const response = await fetch(`${service.url}/docs`);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await response.text()).toMatch(/swagger-ui/i);
  });

  it('prefixes the keys it writes to Redis with REDIS_KEY_PREFIX', async () => {
    const redis = service.app.get<Redis>(REDIS);
    await redis.set('probe', '1');

    const raw = new Redis(service.env.REDIS_URL!);
    try {
      expect(await raw.get(`${service.redisKeyPrefix}probe`)).toBe('1');
    } finally {
      raw.disconnect();
    }
  });

  it('refuses a request body over the 64 KiB limit', async () => {
    const response = await fetch(`${service.url}/health`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ padding: 'x'.repeat(70 * 1024) }),
    });

    expect(response.status).toBe(413);
  });
});

describe('order service with Redis unreachable', () => {
  let service: TestService;

  beforeAll(async () => {
    const port = await unusedPort();
    service = await startOrderService(broker, { REDIS_URL: `redis://127.0.0.1:${port}` });
  });

  afterAll(() => service?.stop());

  it('still starts, and GET /health answers 503 naming Redis as down', async () => {
    const response = await fetch(`${service.url}/health`);

    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({
      status: 'error',
      info: { database: { status: 'up' } },
      error: { redis: { status: 'down' } },
    });
  });

  it('stays alive', async () => {
    expect((await fetch(`${service.url}/alive`)).status).toBe(200);
  });

  it('answers a purchase with 500 INTERNAL_ERROR (nothing was taken) and counts it as ERROR', async () => {
    const response = await fetch(`${service.url}/sales/${randomUUID()}/purchases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'ann', quantity: 1 }),
    });

    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({
      statusCode: 500,
      code: 'INTERNAL_ERROR',
      message: 'Internal server error',
    });
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    expect(metrics).toMatch(/^flashsale_purchase_requests_total\{outcome="ERROR",service="order"\} 1$/m);
  });
});
