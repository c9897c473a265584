import { LatencyFaultTolerance, computeNotAvailableDuration } from './latency-fault-tolerance';
import { RoundRobinQueueSelector, hashSelector, selectByHashArg } from './message-queue-selector';
import { type MessageQueue } from './message';

describe('computeNotAvailableDuration', () => {
  it.each([
    [0, 0],
    [99, 0],
    [549, 0],
    [550, 30_000],
    [1000, 60_000],
    [2500, 120_000],
    [3000, 180_000],
    [15_000, 600_000],
    [30_000, 600_000],
  ])('latency %d ms → avoid for %d ms', (latency, duration) => {
    expect(computeNotAvailableDuration(latency)).toBe(duration);
  });
});

describe('LatencyFaultTolerance', () => {
  let now = 1_000_000;
  const tolerance = () => new LatencyFaultTolerance(() => now);

  it('avoids a failed broker for 10 minutes and a slow one for the computed time', () => {
    const ft = tolerance();
    ft.updateFaultItem('broker-a', 5, true);
    ft.updateFaultItem('broker-b', 1200, false);
    ft.updateFaultItem('broker-c', 20, false);
    expect(ft.isAvailable('broker-a')).toBe(false);
    expect(ft.isAvailable('broker-b')).toBe(false);
    expect(ft.isAvailable('broker-c')).toBe(true);
    now += 60_000;
    expect(ft.isAvailable('broker-b')).toBe(true);
    expect(ft.isAvailable('broker-a')).toBe(false);
    now += 540_000;
    expect(ft.isAvailable('broker-a')).toBe(true);
  });

  it('forgets a broker after a fast send', () => {
    const ft = tolerance();
    ft.updateFaultItem('broker-a', 0, true);
    ft.updateFaultItem('broker-a', 3, false);
    expect(ft.isAvailable('broker-a')).toBe(true);
  });

  it('picks the broker that recovers first when all are avoided', () => {
    const ft = tolerance();
    ft.updateFaultItem('broker-a', 0, true);
    ft.updateFaultItem('broker-b', 600, false);
    expect(ft.pickOneAtLeast(['broker-a', 'broker-b'])).toBe('broker-b');
    expect(ft.pickOneAtLeast(['broker-a', 'broker-c'])).toBe('broker-c');
  });
});

const mqs = (brokers: string[], perBroker: number): MessageQueue[] =>
  brokers.flatMap((brokerName) =>
    Array.from({ length: perBroker }, (_, queueId) => ({ topic: 'T', brokerName, queueId })),
  );

describe('RoundRobinQueueSelector', () => {
  it('cycles over all queues', () => {
    const selector = new RoundRobinQueueSelector(new LatencyFaultTolerance());
    const queues = mqs(['broker-a', 'broker-b'], 2);
    const picked = Array.from({ length: 8 }, () => selector.select('T', queues));
    for (const mq of queues) expect(picked.filter((p) => p === mq)).toHaveLength(2);
  });

  it('skips avoided brokers and, on a retry, the broker that just failed', () => {
    const ft = new LatencyFaultTolerance();
    const selector = new RoundRobinQueueSelector(ft);
    const queues = mqs(['broker-a', 'broker-b', 'broker-c'], 2);
    ft.updateFaultItem('broker-a', 0, true);
    for (let i = 0; i < 12; i++) expect(selector.select('T', queues).brokerName).not.toBe('broker-a');
    for (let i = 0; i < 12; i++) expect(selector.select('T', queues, 'broker-b').brokerName).toBe('broker-c');
  });

  it('still returns a queue when every broker is avoided', () => {
    const ft = new LatencyFaultTolerance();
    const selector = new RoundRobinQueueSelector(ft);
    const queues = mqs(['broker-a', 'broker-b'], 1);
    ft.updateFaultItem('broker-a', 0, true);
    ft.updateFaultItem('broker-b', 0, true);
    expect(['broker-a', 'broker-b']).toContain(selector.select('T', queues).brokerName);
    expect(selector.select('T', queues, 'broker-a').brokerName).toBe('broker-b');
  });
});

describe('hashSelector', () => {
  const queues = mqs(['broker-a'], 8);
  const message = { topic: 'T', body: 'x' };

  it('maps a sharding key to abs(Java hashCode) % queue count, always the same queue', () => {
    // "order-42".hashCode() in Java is 1234255197 → 1234255197 % 8 = 5.
    expect(hashSelector('order-42')(queues, message).queueId).toBe(5);
    expect(hashSelector('order-42')(queues, message)).toBe(hashSelector('order-42')(queues, message));
  });

  it('handles negative hash codes', () => {
    // "polygenelubricants".hashCode() is Integer.MIN_VALUE; other negative hashes are mirrored.
    for (const key of ['polygenelubricants', 'zzzzzzzzzz', 'user-\u4e2d']) {
      const mq = hashSelector(key)(queues, message);
      expect(mq.queueId).toBeGreaterThanOrEqual(0);
      expect(mq.queueId).toBeLessThan(8);
    }
  });

  it('selectByHashArg uses a numeric arg directly', () => {
    expect(selectByHashArg(queues, message, 13).queueId).toBe(5);
  });
});
