import { type MessageExt } from './message';
import { ProcessQueue } from './process-queue';

function message(queueOffset: number): MessageExt {
  return { queueOffset, body: Buffer.from(`m${queueOffset}`), properties: {} } as unknown as MessageExt;
}

const offsets = (messages: MessageExt[]) => messages.map((m) => m.queueOffset);

describe('ProcessQueue for orderly consumption', () => {
  it('hands out messages in offset order and commits past the taken batch', () => {
    const pq = new ProcessQueue();
    pq.putMessages([10, 11, 12, 13, 14].map(message));
    expect(offsets(pq.takeMessages(2))).toEqual([10, 11]);
    expect(pq.msgCount).toBe(5); // still held until committed
    expect(pq.commit()).toBe(12);
    expect(pq.msgCount).toBe(3);
    expect(offsets(pq.takeMessages(10))).toEqual([12, 13, 14]);
    expect(pq.commit()).toBe(15);
    expect(pq.takeMessages(1)).toEqual([]);
    expect(pq.commit()).toBe(-1);
  });

  it('puts a suspended batch back in front of the rest, in order', () => {
    const pq = new ProcessQueue();
    pq.putMessages([1, 2, 3].map(message));
    const batch = pq.takeMessages(2);
    pq.putMessages([4].map(message));
    pq.makeMessagesToConsumeAgain([...batch].reverse());
    expect(offsets(pq.takeMessages(1))).toEqual([1]);
    pq.makeMessagesToConsumeAgain(pq.takeMessages(0));
    expect(offsets(pq.takeMessages(3))).toEqual([2, 3, 4]);
    expect(pq.commit()).toBe(5);
  });

  it('tracks lock staleness', () => {
    const pq = new ProcessQueue();
    pq.lastLockTimestamp = 1000;
    expect(pq.isLockExpired(30_000, 20_000)).toBe(false);
    expect(pq.isLockExpired(30_000, 31_001)).toBe(true);
  });
});
