import { DEFAULT_MESSAGE_DELAY_LEVEL, DelayLevelParseError, DelayLevelTable } from './delay-level-table';

describe('DelayLevelTable', () => {
  it('parses RocketMQ’s default 18 levels', () => {
    const table = DelayLevelTable.parse(DEFAULT_MESSAGE_DELAY_LEVEL);
    expect(table.maxLevel).toBe(18);
    expect(table.delayMillisOf(1)).toBe(1000);
    expect(table.delayMillisOf(3)).toBe(10_000);
    expect(table.delayMillisOf(5)).toBe(60_000);
    expect(table.delayMillisOf(18)).toBe(2 * 3600_000);
  });

  it('clamps levels above the top and treats ≤ 0 as no delay', () => {
    const table = DelayLevelTable.parse('1s 2s 1d');
    expect(table.delayMillisOf(99)).toBe(24 * 3600_000);
    expect(table.queueIdOf(99)).toBe(2);
    expect(table.delayMillisOf(0)).toBe(0);
    expect(table.delayMillisOf(-3)).toBe(0);
    expect(table.queueIdOf(1)).toBe(0);
    expect(table.levelOfQueueId(2)).toBe(3);
  });

  it('scales every delay, never below 1 ms', () => {
    const table = DelayLevelTable.parse(DEFAULT_MESSAGE_DELAY_LEVEL, 0.01);
    expect(table.delayMillisOf(1)).toBe(10);
    expect(table.delayMillisOf(3)).toBe(100);
    expect(table.delayMillisOf(18)).toBe(72_000);
    expect(DelayLevelTable.parse('1s', 0.0001).delayMillisOf(1)).toBe(1);
  });

  it.each(['', '5x', '1.5s', '0s', 's', '1s,2s'])('rejects %p', (text) => {
    expect(() => DelayLevelTable.parse(text)).toThrow(DelayLevelParseError);
  });

  it('rejects a non-positive scale', () => {
    expect(() => DelayLevelTable.parse(DEFAULT_MESSAGE_DELAY_LEVEL, 0)).toThrow(DelayLevelParseError);
  });
});
