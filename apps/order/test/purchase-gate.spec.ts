/**
 * The Redis gate against a real Redis, driven directly (no HTTP, no broker): atomicity under a burst,
 * the window, the per-user limit, and the undo/claim handshake that keeps "undone" and "ordered"
 * mutually exclusive.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { flashSaleKeys } from '@flashsale/contracts';
import { deleteRedisKeys } from '@flashsale/service-kit';
import Redis from 'ioredis';
import { PurchaseGate } from '../src/purchase/purchase-gate';
import { SaleStockRelease } from '../src/sale/sale-stock-release';

describe('PurchaseGate (real Redis)', () => {
  const prefix = `order_gate_test_${randomBytes(4).toString('hex')}:`;
  let redis: Redis;
  let gate: PurchaseGate;

  beforeAll(() => {
    redis = new Redis(process.env.REDIS_URL!);
    gate = new PurchaseGate(redis, { SALE_KEY_PREFIX: prefix });
  });

  afterAll(async () => {
    await deleteRedisKeys(process.env.REDIS_URL!, prefix);
    redis.disconnect();
  });

  /** Counters as SaleService.create writes them. */
  async function openSale(
    quantity: number,
    perUserLimit: number,
    startsAt = Date.now() - 1_000,
    endsAt = Date.now() + 60_000,
  ) {
    const saleId = randomUUID();
    const keys = flashSaleKeys(saleId, prefix);
    await redis.set(keys.stock, quantity);
    await redis.hset(keys.meta, { startsAt, endsAt, perUserLimit, sku: 'SKU-GATE' });
    return { saleId, keys };
  }

  it('sells exactly the stock to a burst of 2,000 concurrent attempts by 1,500 users, none above the limit', async () => {
    const { saleId, keys } = await openSale(500, 1);
    // Users 0..499 try twice, the others once: 2,000 attempts, shuffled.
    const attempts = Array.from({ length: 2_000 }, (_, i) => `user-${i < 1_500 ? i : i - 1_500}`);
    attempts.sort(() => Math.random() - 0.5);

    const outcomes = await Promise.all(attempts.map((userId) => gate.admit(saleId, userId, 1)));

    const winners = outcomes.filter((outcome) => outcome.admitted);
    expect(winners).toHaveLength(500);
    expect(await redis.get(keys.stock)).toBe('0');
    const buyers = await redis.hgetall(keys.buyers);
    expect(Object.keys(buyers)).toHaveLength(500);
    expect(Object.values(buyers).every((units) => units === '1')).toBe(true);
    const reasons = new Set(outcomes.filter((o) => !o.admitted).map((o) => (o.admitted ? '' : o.reason)));
    expect([...reasons].every((reason) => reason === 'SOLD_OUT' || reason === 'ALREADY_BOUGHT')).toBe(true);
  });

  it('lets a user buy up to the limit across several purchases, then answers ALREADY_BOUGHT', async () => {
    const { saleId, keys } = await openSale(10, 3);

    expect(await gate.admit(saleId, 'u1', 2)).toMatchObject({
      admitted: true,
      stockLeft: 8,
      sku: 'SKU-GATE',
    });
    expect(await gate.admit(saleId, 'u1', 2)).toMatchObject({ admitted: false, reason: 'ALREADY_BOUGHT' });
    expect(await gate.admit(saleId, 'u1', 1)).toMatchObject({ admitted: true, stockLeft: 7 });
    expect(await gate.admit(saleId, 'u2', 4)).toMatchObject({
      admitted: false,
      reason: 'QUANTITY_ABOVE_LIMIT',
    });
    expect(await redis.hget(keys.buyers, 'u1')).toBe('3');
    expect(await redis.hexists(keys.buyers, 'u2')).toBe(0);
  });

  it('answers SOLD_OUT when fewer units are left than asked, without taking any', async () => {
    const { saleId, keys } = await openSale(1, 2);

    expect(await gate.admit(saleId, 'u1', 2)).toMatchObject({
      admitted: false,
      reason: 'SOLD_OUT',
      stockLeft: 1,
    });
    expect(await redis.get(keys.stock)).toBe('1');
  });

  it('keeps the window: NOT_STARTED before, ENDED from endsAt on; unknown sales are NO_SUCH_SALE', async () => {
    const now = Date.now();
    const { saleId, keys } = await openSale(5, 1, now + 10_000, now + 20_000);

    expect(await gate.admit(saleId, 'u1', 1, now)).toMatchObject({ admitted: false, reason: 'NOT_STARTED' });
    expect(await gate.admit(saleId, 'u1', 1, now + 20_000)).toMatchObject({
      admitted: false,
      reason: 'ENDED',
    });
    expect(await gate.admit(saleId, 'u1', 1, now + 10_000)).toMatchObject({ admitted: true });
    expect(await gate.admit(randomUUID(), 'u1', 1)).toMatchObject({
      admitted: false,
      reason: 'NO_SUCH_SALE',
    });
    expect(await redis.get(keys.stock)).toBe('4');
  });

  it('undo gives units and allowance back once, and a voided ticket can no longer be claimed', async () => {
    const { saleId, keys } = await openSale(5, 1);
    const ticket = randomUUID();
    await gate.admit(saleId, 'u1', 1);

    expect(await gate.undo(saleId, ticket, 'u1', 1)).toBe(true);
    expect(await gate.undo(saleId, ticket, 'u1', 1)).toBe(false);
    expect(await redis.get(keys.stock)).toBe('5');
    expect(await redis.hexists(keys.buyers, 'u1')).toBe(0);
    expect(await gate.claimTicket(saleId, ticket)).toBe(false);
  });

  it('a claimed ticket cannot be undone (its request was stored after all), and stays claimable', async () => {
    const { saleId, keys } = await openSale(5, 1);
    const ticket = randomUUID();
    await gate.admit(saleId, 'u1', 1);

    expect(await gate.claimTicket(saleId, ticket)).toBe(true);
    expect(await gate.undo(saleId, ticket, 'u1', 1)).toBe(false);
    expect(await redis.get(keys.stock)).toBe('4');
    expect(await gate.claimTicket(saleId, ticket)).toBe(true); // a redelivery
  });

  it('SaleStockRelease gives an order’s units back once, through the shared released set', async () => {
    const { saleId, keys } = await openSale(0, 1);
    const release = new SaleStockRelease(redis, { SALE_KEY_PREFIX: prefix });
    const orderId = randomUUID();

    expect(await release.release(saleId, orderId, 2)).toBe(true);
    expect(await release.release(saleId, orderId, 2)).toBe(false);
    expect(await redis.get(keys.stock)).toBe('2');
    expect(await redis.sismember(keys.released, orderId)).toBe(1);
  });
});
