/**
 * Flows 1 + 2 end to end over HTTP, a real broker, PostgreSQL and Redis: the gate's answers, the
 * ticket, the order created through the transactional message, and idempotency under redelivery.
 */
import { randomUUID } from 'node:crypto';
import {
  flashSaleKeys,
  type OrderCreatedEvent,
  type OrderStatusChangedEvent,
  type PurchaseRequestedEvent,
  Topics,
} from '@flashsale/contracts';
import type { Producer } from '@flashsale/mq';
import type { SpawnedBroker } from '@flashsale/testing';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { orderIdForTicket } from '../src/order/order-id';
import {
  createOpenSale,
  http,
  type OrderTestService,
  startBroker,
  startOrderService,
  startTestProducer,
  TopicRecorder,
  waitFor,
} from './support/order-test-env';

describe('purchase → transactional order', () => {
  let broker: SpawnedBroker;
  let service: OrderTestService;
  let redis: Redis;
  let created: TopicRecorder<OrderCreatedEvent>;
  let statuses: TopicRecorder<OrderStatusChangedEvent>;
  let producer: Producer;

  beforeAll(async () => {
    broker = await startBroker();
    service = await startOrderService(broker, { PURCHASE_RATE_LIMIT_PER_USER: '5' });
    redis = new Redis(process.env.REDIS_URL!);
    created = await TopicRecorder.start(broker.namesrvAddr, Topics.ORDER_CREATED);
    statuses = await TopicRecorder.start(broker.namesrvAddr, Topics.ORDER_STATUS);
    producer = await startTestProducer(broker.namesrvAddr);
  }, 60_000);

  afterAll(async () => {
    await producer?.shutdown();
    await created?.stop();
    await statuses?.stop();
    redis?.disconnect();
    await service?.stop();
    await broker?.stop();
  }, 60_000);

  const db = () => service.app.get(DataSource);

  it('creates a sale with its Redis counters and live figures', async () => {
    const sale = await createOpenSale(service, { quantity: 7, perUserLimit: 2 });
    const keys = flashSaleKeys(sale.id, service.salePrefix);

    expect(await redis.get(keys.stock)).toBe('7');
    expect(await redis.hgetall(keys.meta)).toMatchObject({ perUserLimit: '2', sku: sale.sku });
    const figures = await http(service, 'GET', `/sales/${sale.id}`);
    expect(figures.status).toBe(200);
    expect(figures.body).toMatchObject({
      id: sale.id,
      quantity: 7,
      remaining: 7,
      orders: { created: 0, paid: 0, closed: 0, cancelled: 0 },
    });
  });

  it('admits a buyer with 202 and a ticket, and the order is created through the transactional message', async () => {
    const sale = await createOpenSale(service, { quantity: 5, priceCents: 250, perUserLimit: 2 });

    const response = await http(service, 'POST', `/sales/${sale.id}/purchases`, {
      userId: 'alice',
      quantity: 2,
    });
    expect(response.status).toBe(202);
    expect(response.body).toEqual({ ticket: expect.any(String), status: 'PENDING' });
    const ticket = response.body.ticket as string;

    const done = await waitFor(async () => {
      const answer = await http(service, 'GET', `/tickets/${ticket}`);
      return answer.body.status === 'CREATED' ? answer.body : undefined;
    }, 'the ticket to show CREATED');
    expect(done).toEqual({
      ticket,
      status: 'CREATED',
      orderId: orderIdForTicket(ticket),
      orderStatus: 'CREATED',
    });

    const order = await http(service, 'GET', `/orders/${done.orderId}`);
    expect(order.body).toMatchObject({
      saleId: sale.id,
      userId: 'alice',
      quantity: 2,
      amountCents: 500,
      status: 'CREATED',
      ticket,
    });

    // The committed transactional message and the first status change reach their consumers.
    const announced = await waitFor(
      () => created.bodies((e) => e.orderId === done.orderId)[0],
      'ORDER_CREATED',
    );
    expect(announced).toMatchObject({ saleId: sale.id, sku: sale.sku, userId: 'alice', quantity: 2 });
    await waitFor(
      () => statuses.bodies((e) => e.orderId === done.orderId && e.status === 'CREATED').length === 1,
      'ORDER_STATUS CREATED',
    );

    const figures = await http(service, 'GET', `/sales/${sale.id}`);
    expect(figures.body).toMatchObject({ remaining: 3, orders: { created: 1 } });
  });

  it('answers losers at once with 409 codes and writes nothing for them', async () => {
    const sale = await createOpenSale(service, { quantity: 1, perUserLimit: 1 });
    const keys = flashSaleKeys(sale.id, service.salePrefix);

    expect(
      (await http(service, 'POST', `/sales/${sale.id}/purchases`, { userId: 'bob', quantity: 1 })).status,
    ).toBe(202);
    const again = await http(service, 'POST', `/sales/${sale.id}/purchases`, { userId: 'bob', quantity: 1 });
    expect(again).toMatchObject({ status: 409, body: { code: 'ALREADY_BOUGHT' } });
    const soldOut = await http(service, 'POST', `/sales/${sale.id}/purchases`, {
      userId: 'carol',
      quantity: 1,
    });
    expect(soldOut).toMatchObject({ status: 409, body: { code: 'SOLD_OUT' } });

    const future = await createOpenSale(service, {
      startsAt: new Date(Date.now() + 3_600_000),
      endsAt: new Date(Date.now() + 7_200_000),
    });
    expect(
      await http(service, 'POST', `/sales/${future.id}/purchases`, { userId: 'dan', quantity: 1 }),
    ).toMatchObject({
      status: 409,
      body: { code: 'NOT_STARTED' },
    });
    const past = await createOpenSale(service, {
      startsAt: new Date(Date.now() - 7_200_000),
      endsAt: new Date(Date.now() - 3_600_000),
    });
    expect(
      await http(service, 'POST', `/sales/${past.id}/purchases`, { userId: 'dan', quantity: 1 }),
    ).toMatchObject({
      status: 409,
      body: { code: 'ENDED' },
    });

    expect(await redis.get(keys.stock)).toBe('0');
    expect(await redis.hgetall(keys.buyers)).toEqual({ bob: '1' });
    expect(await redis.hlen(flashSaleKeys(future.id, service.salePrefix).buyers)).toBe(0);
    expect(await redis.get(flashSaleKeys(past.id, service.salePrefix).stock)).toBe('10');
  });

  it('rejects bad input with 400 / 413 and unknown sales with 404, touching nothing', async () => {
    const sale = await createOpenSale(service, { quantity: 3, perUserLimit: 2 });
    const keys = flashSaleKeys(sale.id, service.salePrefix);
    const path = `/sales/${sale.id}/purchases`;

    expect((await http(service, 'POST', path, '{"userId": "eve", "quantity": ')).status).toBe(400);
    // The route's JSON schema is as strict as the ValidationPipe of the other routes: no coercion of
    // "1" to 1, no silently dropped properties; the message names the field.
    expect(await http(service, 'POST', path, { userId: 'eve', quantity: '1' })).toMatchObject({
      status: 400,
      body: { statusCode: 400, code: 'INVALID_REQUEST', message: expect.stringContaining('quantity') },
    });
    expect(await http(service, 'POST', path, { userId: 'eve evil', quantity: 1 })).toMatchObject({
      status: 400,
      body: { code: 'INVALID_REQUEST', message: expect.stringContaining('userId') },
    });
    expect((await http(service, 'POST', path, { userId: 'eve', quantity: -1 })).status).toBe(400);
    expect((await http(service, 'POST', path, { userId: 'eve', quantity: 1.5 })).status).toBe(400);
    expect((await http(service, 'POST', path, { userId: 'eve' })).status).toBe(400);
    expect((await http(service, 'POST', path, { userId: 'eve', quantity: 1, admin: true })).status).toBe(400);
    expect(await http(service, 'POST', path, { userId: 'eve', quantity: 3 })).toMatchObject({
      status: 400,
      body: { code: 'QUANTITY_ABOVE_LIMIT' },
    });
    // Fastify refuses bodies over the 64 KiB limit before any handler runs: 413 Payload Too Large.
    expect(
      (await http(service, 'POST', path, { userId: 'eve', quantity: 1, pad: 'x'.repeat(70 * 1024) })).status,
    ).toBe(413);
    expect(
      (await http(service, 'POST', '/sales/not-a-uuid/purchases', { userId: 'eve', quantity: 1 })).status,
    ).toBe(400);
    expect(
      await http(service, 'POST', `/sales/${randomUUID()}/purchases`, { userId: 'eve', quantity: 1 }),
    ).toMatchObject({
      status: 404,
      body: { code: 'SALE_NOT_FOUND' },
    });
    expect(await http(service, 'POST', '/sales', { sku: 'x', title: 'x', priceCents: -5 })).toMatchObject({
      status: 400,
    });

    expect(await redis.get(keys.stock)).toBe('3');
    expect(await redis.hlen(keys.buyers)).toBe(0);
    const [{ count }] = await db().query(
      `SELECT count(*)::int AS count FROM purchase_order WHERE sale_id = $1`,
      [sale.id],
    );
    expect(count).toBe(0);
  });

  it('rate-limits one user to PURCHASE_RATE_LIMIT_PER_USER attempts per second with 429', async () => {
    const sale = await createOpenSale(service, { quantity: 100, perUserLimit: 1 });

    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        http(service, 'POST', `/sales/${sale.id}/purchases`, { userId: 'flooder', quantity: 1 }),
      ),
    );

    const limited = answers.filter((answer) => answer.status === 429);
    // 20 requests within well under a second span at most two one-second windows of 5 each.
    expect(limited.length).toBeGreaterThanOrEqual(10);
    expect(limited[0].body).toMatchObject({ code: 'RATE_LIMITED' });
    expect(answers.filter((answer) => answer.status === 202)).toHaveLength(1);
    expect(await redis.get(flashSaleKeys(sale.id, service.salePrefix).stock)).toBe('99');
  });

  it('creates one order when the same purchase request is delivered twice', async () => {
    const sale = await createOpenSale(service, { quantity: 5 });
    const request: PurchaseRequestedEvent = {
      ticket: randomUUID(),
      saleId: sale.id,
      sku: sale.sku,
      userId: 'grace',
      quantity: 1,
      requestedAt: new Date().toISOString(),
    };
    const orderId = orderIdForTicket(request.ticket);

    // Two separate messages with one body: what a producer retry after a lost reply leaves behind.
    for (let i = 0; i < 2; i++) {
      const sent = await producer.send({
        topic: Topics.PURCHASE_REQUEST,
        body: JSON.stringify(request),
        keys: request.ticket,
      });
      expect(sent.sendStatus).toBe('SEND_OK');
    }

    // Each delivery ends by announcing CREATED: two of them means both deliveries were handled.
    await waitFor(
      () => statuses.bodies((e) => e.orderId === orderId && e.status === 'CREATED').length >= 2,
      'both deliveries',
    );
    const rows = await db().query(`SELECT id, status FROM purchase_order WHERE ticket = $1`, [
      request.ticket,
    ]);
    expect(rows).toEqual([{ id: orderId, status: 'CREATED' }]);
    // ORDER_CREATED may be announced more than once, always for the one order (inventory dedupes by it).
    expect(created.bodies((e) => e.userId === 'grace').every((e) => e.orderId === orderId)).toBe(true);
  });

  it('drops a request whose ticket the gate voided after a failed send', async () => {
    const sale = await createOpenSale(service, { quantity: 5 });
    const ticket = randomUUID();
    const keys = flashSaleKeys(sale.id, service.salePrefix);
    await redis.hset(`${service.salePrefix}{sale:${sale.id}}:tickets`, ticket, 'VOIDED');

    const probe: PurchaseRequestedEvent = {
      ticket: randomUUID(),
      saleId: sale.id,
      sku: sale.sku,
      userId: 'heidi',
      quantity: 1,
      requestedAt: new Date().toISOString(),
    };
    const voided: PurchaseRequestedEvent = { ...probe, ticket, userId: 'ivan' };
    await producer.send({ topic: Topics.PURCHASE_REQUEST, body: JSON.stringify(voided), keys: ticket });
    await producer.send({ topic: Topics.PURCHASE_REQUEST, body: JSON.stringify(probe), keys: probe.ticket });

    // The probe's order proves the consumer is past both (the queues are consumed concurrently, so wait a bit more).
    await waitFor(
      async () =>
        (await db().query(`SELECT 1 FROM purchase_order WHERE ticket = $1`, [probe.ticket])).length === 1,
      'the probe order',
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await db().query(`SELECT 1 FROM purchase_order WHERE ticket = $1`, [ticket])).toEqual([]);
    expect(await redis.hget(`${service.salePrefix}{sale:${sale.id}}:tickets`, ticket)).toBe('VOIDED');
    expect(await redis.get(keys.stock)).toBe('5');
  });
});
