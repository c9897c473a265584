import { silentBrokerLogger } from '../broker-logger';
import { RebalanceLockManager } from './rebalance-lock-manager';

describe('RebalanceLockManager', () => {
  let now = 1_000_000;
  const locks = new RebalanceLockManager(
    { rebalanceLockMaxLiveTime: 60_000, now: () => now },
    silentBrokerLogger,
  );
  const mq = (queueId: number) => ({ topic: 'T', brokerName: 'b', queueId });

  it('grants free, own and expired queues only', () => {
    expect(locks.tryLockBatch('g', [mq(0), mq(1)], 'A')).toEqual([mq(0), mq(1)]);
    expect(locks.tryLockBatch('g', [mq(1), mq(2)], 'B')).toEqual([mq(2)]);
    now += 60_000; // exactly at the limit: still A's
    expect(locks.tryLockBatch('g', [mq(0)], 'B')).toEqual([]);
    now += 1;
    expect(locks.tryLockBatch('g', [mq(0)], 'B')).toEqual([mq(0)]);
    expect(locks.isLocked('g', mq(0), 'B')).toBe(true);
    expect(locks.isLocked('g', mq(0), 'A')).toBe(false);
  });

  it('unlocks only the owner’s queues', () => {
    expect(locks.tryLockBatch('g', [mq(2)], 'B')).toEqual([mq(2)]); // expired meanwhile: renewed
    locks.unlockBatch('g', [mq(2)], 'A');
    expect(locks.isLocked('g', mq(2), 'B')).toBe(true);
    locks.unlockBatch('g', [mq(2)], 'B');
    expect(locks.lockedQueues('g').has('T@b@2')).toBe(false);
  });
});
