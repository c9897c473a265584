/**
 * Axis ticks a reader can take in at a glance: 0, 1,000, 2,000 … 5,000 rather than 0, 974, 1,948 …
 * The axis ends on the first round tick at or above the data's maximum, so the highest point stays
 * inside the plot and the gridlines fall on numbers worth reading.
 */

export interface NiceScale {
  /** The axis maximum: the last tick, at or above the data's maximum, and never below 1. */
  max: number;
  step: number;
  /** From 0 to max inclusive, every step. */
  ticks: number[];
}

export interface NiceTickOptions {
  /** About how many intervals the axis should have; the result has at most one more. Default 5. */
  target?: number;
  /** Counts (requests, messages, seconds): never a tick between two whole numbers. */
  integer?: boolean;
}

/**
 * Ticks from 0 up to a round number at or above `dataMax`, spaced 1, 2 or 5 times a power of ten.
 * A maximum of 0 (an all-zero series), a negative one or a non-finite one gives the axis [0, 1], so a
 * flat line still has an axis to sit on.
 */
export function niceTicks(dataMax: number, options: NiceTickOptions = {}): NiceScale {
  const target = Math.max(1, Math.floor(options.target ?? 5));
  if (!Number.isFinite(dataMax) || dataMax <= 0) return { max: 1, step: 1, ticks: [0, 1] };

  // The smallest step of 1, 2, 2.5 or 5 times a power of ten that needs no more than target + 1
  // intervals: 5,160 gets 0 … 6,000 by 1,000 rather than by 2,000; 12,345 gets 0 … 12,500 by 2,500.
  const rawStep = dataMax / (target + 1);
  const magnitude = 10 ** Math.floor(Math.log10(rawStep));
  const candidates = [1, 2, 2.5, 5, 10]
    .map((multiple) => multiple * magnitude)
    .filter((candidate) => !options.integer || Number.isInteger(candidate));
  // The tolerance keeps floating-point noise (0.30000000000000004) from pushing a step one size up.
  const fits = (candidate: number) => Math.ceil(dataMax / candidate - 1e-9) <= target + 1;
  const step = candidates.find(fits) ?? (options.integer ? Math.max(1, 10 * magnitude) : 10 * magnitude);

  const count = Math.max(1, Math.ceil(dataMax / step - 1e-9));
  const decimals = stepDecimals(step);
  const ticks = Array.from({ length: count + 1 }, (_, i) => Number((i * step).toFixed(decimals)));
  return { max: ticks[ticks.length - 1], step, ticks };
}

/** How many decimals a tick label needs for this step (0 for 1,000, 1 for 0.2 or 2.5, 2 for 0.25). */
export function stepDecimals(step: number): number {
  for (let decimals = 0; decimals < 12; decimals += 1) {
    if (Math.abs(Number(step.toFixed(decimals)) - step) <= Math.abs(step) * 1e-9) return decimals;
  }
  return 12;
}
