import { niceTicks, stepDecimals } from './nice-ticks';

describe('niceTicks', () => {
  it('gives an all-zero, negative or broken maximum the axis [0, 1]', () => {
    for (const max of [0, -3, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(niceTicks(max)).toEqual({ max: 1, step: 1, ticks: [0, 1] });
      expect(niceTicks(max, { integer: true }).ticks).toEqual([0, 1]);
    }
  });

  it('ends on a round number at or above the maximum', () => {
    expect(niceTicks(4870).ticks).toEqual([0, 1000, 2000, 3000, 4000, 5000]);
    expect(niceTicks(5000).ticks).toEqual([0, 1000, 2000, 3000, 4000, 5000]);
    expect(niceTicks(5160).ticks).toEqual([0, 1000, 2000, 3000, 4000, 5000, 6000]);
    expect(niceTicks(2376).ticks).toEqual([0, 500, 1000, 1500, 2000, 2500]);
    expect(niceTicks(12_345).ticks).toEqual([0, 2500, 5000, 7500, 10_000, 12_500]);
    expect(niceTicks(7).ticks).toEqual([0, 2, 4, 6, 8]);
    expect(niceTicks(7, { target: 10 }).ticks).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(niceTicks(59, { target: 10 }).ticks).toEqual([0, 10, 20, 30, 40, 50, 60]);
  });

  it('keeps counts on whole numbers when asked', () => {
    expect(niceTicks(1, { integer: true }).ticks).toEqual([0, 1]);
    expect(niceTicks(0.3, { integer: true }).ticks).toEqual([0, 1]);
    expect(niceTicks(3, { integer: true }).ticks).toEqual([0, 1, 2, 3]);
    expect(niceTicks(1, { integer: false }).ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });

  it('has no floating-point noise in its ticks', () => {
    expect(niceTicks(0.7).ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8]);
    expect(niceTicks(0.07).ticks).toEqual([0, 0.02, 0.04, 0.06, 0.08]);
  });

  it('always covers the maximum with at most target + 1 evenly spaced round steps', () => {
    const maxima = [0.013, 0.5, 1.7, 9.99, 10, 10.01, 33, 150, 999, 1001, 4321, 48_700, 123_456_789];
    for (const max of maxima) {
      for (const target of [3, 5, 10]) {
        for (const integer of [false, true]) {
          const scale = niceTicks(max, { target, integer });
          expect(scale.max).toBeGreaterThanOrEqual(max);
          expect(scale.ticks[0]).toBe(0);
          expect(scale.ticks[scale.ticks.length - 1]).toBe(scale.max);
          expect(scale.ticks.length - 1).toBeLessThanOrEqual(
            integer && max < target ? Math.ceil(max) : target + 1,
          );
          // The previous tick is below the maximum: the axis is no longer than it needs to be.
          expect(scale.ticks[scale.ticks.length - 2]).toBeLessThan(max);
          const mantissa = scale.step / 10 ** Math.floor(Math.log10(scale.step));
          expect([1, 2, 2.5, 5]).toContainEqual(Number(mantissa.toFixed(6)));
          if (integer) expect(scale.ticks.every(Number.isInteger)).toBe(true);
          scale.ticks.forEach((tick, i) => expect(tick).toBeCloseTo(i * scale.step, 9));
        }
      }
    }
  });
});

describe('stepDecimals', () => {
  it('counts the decimals a tick label needs', () => {
    expect(stepDecimals(1000)).toBe(0);
    expect(stepDecimals(1)).toBe(0);
    expect(stepDecimals(2.5)).toBe(1);
    expect(stepDecimals(0.2)).toBe(1);
    expect(stepDecimals(0.25)).toBe(2);
    expect(stepDecimals(0.05)).toBe(2);
  });
});
