import type { OrderConfig } from '../config/order.config';
import { PurchasePace } from './purchase-pace';

function paceOf(rate: number): PurchasePace {
  return new PurchasePace({ PURCHASE_ORDERS_PER_SECOND: rate } as OrderConfig);
}

describe('PurchasePace', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('spaces callers evenly at the configured rate, the first at once', async () => {
    const pace = paceOf(10);
    const start = performance.now();
    const slots: number[] = [];

    const takes = Array.from({ length: 5 }, () =>
      pace.take().then(() => slots.push(Math.round(performance.now() - start))),
    );
    await jest.advanceTimersByTimeAsync(1_000);
    await Promise.all(takes);

    expect(slots).toEqual([0, 100, 200, 300, 400]);
  });

  it('does not save up slots while idle: after a pause the next callers are spaced again', async () => {
    const pace = paceOf(10);
    await pace.take();
    await jest.advanceTimersByTimeAsync(5_000);
    const start = performance.now();
    const slots: number[] = [];

    const takes = Array.from({ length: 3 }, () =>
      pace.take().then(() => slots.push(Math.round(performance.now() - start))),
    );
    await jest.advanceTimersByTimeAsync(1_000);
    await Promise.all(takes);

    expect(slots).toEqual([0, 100, 200]);
  });

  it('does not wait at all when the rate is 0 (concurrency alone sets the pace)', async () => {
    const pace = paceOf(0);
    let done = 0;

    await Promise.all(Array.from({ length: 100 }, () => pace.take().then(() => done++)));

    expect(done).toBe(100);
  });
});
