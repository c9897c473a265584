/**
 * The arrival-rate shapes of the scenarios, as stages of constant rate: the Node driver's stand-in for
 * k6's `ramping-arrival-rate` (flash-sale-spike) and `constant-arrival-rate` (flash-sale-sustained).
 * An arrival rate (requests started per second, whatever the answers' latency) is what a crowd at
 * 10:00:00 is; a fixed number of looping users would slow down with the server and hide its limits.
 */
export interface LoadStage {
  /** Requests per second started during the stage. */
  rate: number;
  seconds: number;
}

export interface SpikeShape {
  /** Rate at the start of the ramp: the quiet before the sale opens. */
  startRate: number;
  peakRate: number;
  rampSeconds: number;
  holdSeconds: number;
}

/**
 * A ramp from `startRate` to `peakRate` in 1-second steps, the hold, then the same ramp down to zero:
 * the stages of load-tests/k6/flash-sale-spike.ts, with k6's linear ramps taken a second at a time.
 */
export function spikeStages({ startRate, peakRate, rampSeconds, holdSeconds }: SpikeShape): LoadStage[] {
  const steps = Math.max(1, Math.round(rampSeconds));
  const ramp = (from: number, to: number, step: number) => Math.round(from + ((to - from) * step) / steps);
  const stages: LoadStage[] = [];
  for (let step = 1; step <= steps; step++)
    stages.push({ rate: ramp(startRate, peakRate, step), seconds: 1 });
  if (holdSeconds > 0) stages.push({ rate: peakRate, seconds: holdSeconds });
  for (let step = 1; step < steps; step++) stages.push({ rate: ramp(peakRate, 0, step), seconds: 1 });
  return stages.filter((stage) => stage.rate > 0);
}

export function sustainedStages(rate: number, seconds: number): LoadStage[] {
  return [{ rate, seconds }];
}
