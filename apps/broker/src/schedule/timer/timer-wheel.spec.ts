import { type TimerEntry, TimerWheel } from './timer-wheel';

function entry(queueOffset: number, deliverMs: number): TimerEntry {
  return { queueOffset, commitLogOffset: queueOffset * 100, size: 100, deliverMs };
}

describe('TimerWheel', () => {
  const start = 1_000_000;

  it('hands out entries when the cursor reaches their slot, in time order', () => {
    const wheel = new TimerWheel(100, start, 10_000);
    wheel.add(entry(0, start + 500));
    wheel.add(entry(1, start + 200));
    wheel.add(entry(2, start + 900));
    expect(wheel.advance(start + 150)).toEqual([]);
    expect(wheel.advance(start + 550).map((e) => e.queueOffset)).toEqual([1, 0]);
    expect(wheel.size).toBe(1);
    expect(wheel.advance(start + 5000).map((e) => e.queueOffset)).toEqual([2]);
    expect(wheel.size).toBe(0);
    expect(wheel.currentTime).toBe(start + 5000);
  });

  it('keeps entries beyond the window in their slot for another turn (rollover)', () => {
    const wheel = new TimerWheel(100, start, 1000); // 10 slots
    wheel.add(entry(0, start + 2300)); // same slot as start + 300 and start + 1300
    expect(wheel.advance(start + 400)).toEqual([]);
    expect(wheel.advance(start + 1400)).toEqual([]);
    expect(wheel.advance(start + 2300).map((e) => e.queueOffset)).toEqual([0]);
  });

  it('hands out overdue entries at the next advance, and finds everything after a long pause', () => {
    const wheel = new TimerWheel(100, start, 1000);
    wheel.add(entry(0, start - 5000));
    expect(wheel.hasOverdue).toBe(true);
    wheel.add(entry(1, start + 700));
    wheel.add(entry(2, start + 50_000));
    const due = wheel.advance(start + 1_000_000);
    expect(due.map((e) => e.queueOffset).sort()).toEqual([0, 1, 2]);
    expect(wheel.size).toBe(0);
  });
});
