/**
 * Flow 3 (delayed close) and the rest of the order lifecycle, end to end with a real broker: an unpaid
 * order closes after ORDER_CLOSE_DELAY_MS and announces it; a paid one does not; pay and close racing
 * on one order leave it consistent; cancel; and the cancellation after a failed stock deduction.
 */
import { randomUUID } from 'node:crypto';
import {
  flashSaleKeys,
  type OrderClosedEvent,
  type OrderStatusChangedEvent,
  type StockDeductFailedEvent,
  Topics,
} from '@flashsale/contracts';
import type { Producer } from '@flashsale/mq';
import type { SpawnedBroker } from '@flashsale/testing';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import type { OrderCloseCheckMessage } from '../src/messaging/order-close.scheduler';
import { OrderStateConflictError } from '../src/order/order.errors';
import { OrderService } from '../src/order/order.service';
import {
  createOpenSale,
  http,
  type OrderTestService,
  sleep,
  startBroker,
  startOrderService,
  startTestProducer,
  TopicRecorder,
  waitFor,
} from './support/order-test-env';

const CLOSE_DELAY_MS = 2_000;

describe('order lifecycle: delayed close, pay, cancel', () => {
  let broker: SpawnedBroker;
  let service: OrderTestService;
  let redis: Redis;
  let closed: TopicRecorder<OrderClosedEvent>;
  let statuses: TopicRecorder<OrderStatusChangedEvent>;
  let closeChecks: TopicRecorder<OrderCloseCheckMessage>;
  let producer: Producer;

  beforeAll(async () => {
    broker = await startBroker();
    service = await startOrderService(broker, { ORDER_CLOSE_DELAY_MS: String(CLOSE_DELAY_MS) });
    redis = new Redis(process.env.REDIS_URL!);
    closed = await TopicRecorder.start(broker.namesrvAddr, Topics.ORDER_CLOSED);
    statuses = await TopicRecorder.start(broker.namesrvAddr, Topics.ORDER_STATUS);
    closeChecks = await TopicRecorder.start(broker.namesrvAddr, Topics.ORDER_CLOSE_CHECK);
    producer = await startTestProducer(broker.namesrvAddr);
  }, 60_000);

  afterAll(async () => {
    await producer?.shutdown();
    for (const recorder of [closed, statuses, closeChecks]) await recorder?.stop();
    redis?.disconnect();
    await service?.stop();
    await broker?.stop();
  }, 60_000);

  const db = () => service.app.get(DataSource);
  const orderStatus = async (orderId: string) =>
    (await http(service, 'GET', `/orders/${orderId}`)).body.status as string;

  /** Buys through the API and waits for the order; returns its id. */
  async function buy(saleId: string, userId: string): Promise<string> {
    const response = await http(service, 'POST', `/sales/${saleId}/purchases`, { userId, quantity: 1 });
    expect(response.status).toBe(202);
    return waitFor(async () => {
      const ticket = await http(service, 'GET', `/tickets/${response.body.ticket}`);
      return ticket.body.orderId as string | undefined;
    }, `the order of ${userId}`);
  }

  it('closes an unpaid order after the delay and announces ORDER_CLOSED and ORDER_STATUS CLOSED', async () => {
    const sale = await createOpenSale(service, { quantity: 3 });
    const orderId = await buy(sale.id, 'unpaid');
    const createdAt = Date.now();

    const event = await waitFor(() => closed.bodies((e) => e.orderId === orderId)[0], 'ORDER_CLOSED', 15_000);
    // Delivered by the broker's timer, not before the delay (minus the wheel's rounding).
    expect(Date.now() - createdAt).toBeGreaterThanOrEqual(CLOSE_DELAY_MS - 1_000);
    expect(event).toMatchObject({ saleId: sale.id, sku: sale.sku, quantity: 1, status: 'CLOSED' });
    expect(await orderStatus(orderId)).toBe('CLOSED');

    // Both status changes went to the order's one queue, CREATED first.
    const mine = await waitFor(() => {
      const entries = statuses.received.filter((entry) => entry.body.orderId === orderId);
      return entries.length === 2 ? entries : undefined;
    }, 'ORDER_STATUS CREATED and CLOSED');
    const [first, second] = [...mine].sort((a, b) => a.message.queueOffset - b.message.queueOffset);
    expect(first.message.queueId).toBe(second.message.queueId);
    expect([first.body.status, second.body.status]).toEqual(['CREATED', 'CLOSED']);

    // A payment that arrives after the close is refused.
    expect(await http(service, 'POST', `/orders/${orderId}/pay`)).toMatchObject({
      status: 409,
      body: { code: 'ORDER_CLOSED' },
    });
    const figures = await http(service, 'GET', `/sales/${sale.id}`);
    expect(figures.body.orders).toMatchObject({ closed: 1, created: 0 });
  });

  it('leaves a paid order alone when its close check fires', async () => {
    const sale = await createOpenSale(service, { quantity: 3 });
    const orderId = await buy(sale.id, 'payer');

    const paid = await http(service, 'POST', `/orders/${orderId}/pay`);
    expect(paid).toMatchObject({
      status: 200,
      body: { id: orderId, status: 'PAID', paidAt: expect.any(String) },
    });
    // Paying twice is fine (a client retry), and changes nothing.
    expect(await http(service, 'POST', `/orders/${orderId}/pay`)).toMatchObject({
      status: 200,
      body: { status: 'PAID' },
    });

    await waitFor(
      () => closeChecks.bodies((m) => m.orderId === orderId).length > 0,
      'the close check',
      15_000,
    );
    await sleep(1_000); // the service's close consumer saw it at about the same time
    expect(await orderStatus(orderId)).toBe('PAID');
    expect(closed.bodies((e) => e.orderId === orderId)).toEqual([]);
    expect(statuses.bodies((e) => e.orderId === orderId).map((e) => e.status)).not.toContain('CLOSED');
  });

  it('lets exactly one of a payment and a close win when they race on the same order', async () => {
    const sale = await createOpenSale(service, { quantity: 50 });
    const orders = service.app.get(OrderService);
    const ids: string[] = Array.from({ length: 30 }, () => randomUUID());
    for (const id of ids) {
      await db().query(
        `INSERT INTO purchase_order (id, ticket, sale_id, user_id, quantity, status, amount_cents)
         VALUES ($1, $2, $3, 'racer', 1, 'CREATED', 990)`,
        [id, randomUUID(), sale.id],
      );
    }

    // Both updates in flight at once; which one is issued first alternates, so both outcomes occur.
    const results = await Promise.all(
      ids.map(async (id, i) => {
        const pay = () => orders.pay(id);
        const close = () => orders.closeIfUnpaid(id);
        const [payResult, closeResult] =
          i % 2 === 0
            ? await Promise.allSettled([pay(), close()])
            : await Promise.allSettled([close(), pay()]).then(([c, p]) => [p, c] as const);
        return { id, pay: payResult, close: closeResult };
      }),
    );

    for (const { pay, close } of results) {
      if (pay.status === 'fulfilled') {
        expect(close).toEqual({ status: 'fulfilled', value: 'ALREADY_SETTLED' });
      } else {
        expect(pay.reason).toBeInstanceOf(OrderStateConflictError);
        expect((pay.reason as OrderStateConflictError).code).toBe('ORDER_CLOSED');
        expect(close).toEqual({ status: 'fulfilled', value: 'CLOSED' });
      }
    }
    const rows: { status: string; paid: boolean; closed: boolean }[] = await db().query(
      `SELECT status, paid_at IS NOT NULL AS paid, closed_at IS NOT NULL AS closed
         FROM purchase_order WHERE id = ANY($1)`,
      [ids],
    );
    expect(rows).toHaveLength(30);
    expect(new Set(rows.map((row) => row.status))).toEqual(new Set(['PAID', 'CLOSED']));
    for (const row of rows) {
      expect(row).toEqual(
        row.status === 'PAID'
          ? { status: 'PAID', paid: true, closed: false }
          : { status: 'CLOSED', paid: false, closed: true },
      );
    }
    // Only the orders that closed announce it.
    const closedIds = new Set(
      results.filter((r) => r.close.status === 'fulfilled' && r.close.value === 'CLOSED').map((r) => r.id),
    );
    await waitFor(
      () => closed.bodies((e) => closedIds.has(e.orderId)).length === closedIds.size,
      'ORDER_CLOSED of the closed ones',
    );
    expect(closed.bodies((e) => ids.includes(e.orderId) && !closedIds.has(e.orderId))).toEqual([]);
  });

  it('cancels a created order: ORDER_CLOSED (CANCELLED) and ORDER_STATUS CANCELLED; then pay is refused', async () => {
    const sale = await createOpenSale(service, { quantity: 3 });
    const orderId = await buy(sale.id, 'canceller');

    const cancelled = await http(service, 'POST', `/orders/${orderId}/cancel`);
    expect(cancelled).toMatchObject({ status: 200, body: { status: 'CANCELLED', cancelReason: 'BUYER' } });

    const event = await waitFor(() => closed.bodies((e) => e.orderId === orderId)[0], 'ORDER_CLOSED');
    expect(event.status).toBe('CANCELLED');
    await waitFor(
      () => statuses.bodies((e) => e.orderId === orderId && e.status === 'CANCELLED').length === 1,
      'ORDER_STATUS CANCELLED',
    );
    expect(await http(service, 'POST', `/orders/${orderId}/pay`)).toMatchObject({
      status: 409,
      body: { code: 'ORDER_CANCELLED' },
    });
    expect(await http(service, 'POST', `/orders/${randomUUID()}/pay`)).toMatchObject({
      status: 404,
      body: { code: 'ORDER_NOT_FOUND' },
    });
  });

  it('cancels an order whose stock deduction failed and gives its Redis unit back once', async () => {
    const sale = await createOpenSale(service, { quantity: 2 });
    const keys = flashSaleKeys(sale.id, service.salePrefix);
    const response = await http(service, 'POST', `/sales/${sale.id}/purchases`, {
      userId: 'unlucky',
      quantity: 1,
    });
    const ticket = response.body.ticket as string;
    const orderId = await waitFor(
      async () => (await http(service, 'GET', `/tickets/${ticket}`)).body.orderId as string | undefined,
      'order',
    );
    expect(await redis.get(keys.stock)).toBe('1');

    const failure: StockDeductFailedEvent = {
      orderId,
      saleId: sale.id,
      sku: sale.sku,
      quantity: 1,
      reason: 'INSUFFICIENT_STOCK',
      failedAt: new Date().toISOString(),
    };
    for (let i = 0; i < 2; i++) {
      await producer.send({
        topic: Topics.STOCK_DEDUCT_FAILED,
        body: JSON.stringify(failure),
        keys: orderId,
      });
    }

    await waitFor(
      () => statuses.bodies((e) => e.orderId === orderId && e.status === 'CANCELLED').length >= 2,
      'both deliveries',
    );
    expect(await http(service, 'GET', `/tickets/${ticket}`)).toMatchObject({
      body: { status: 'FAILED', orderId, orderStatus: 'CANCELLED' },
    });
    expect(await redis.get(keys.stock)).toBe('2');
    expect(await redis.sismember(keys.released, orderId)).toBe(1);
    // Inventory never deducted, so no ORDER_CLOSED asks it to release anything.
    expect(closed.bodies((e) => e.orderId === orderId)).toEqual([]);
  });
});
