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

/** A ramp from `startRate` to `peakRate` in 1-second steps, the hold, then a 2-second ramp down. */
export function spikeStages({ startRate, peakRate, rampSeconds, holdSeconds }: SpikeShape): LoadStage[] {
  const stages: LoadStage[] = [];
  const steps = Math.max(1, Math.round(rampSeconds));
  for (let step = 1; step <= steps; step++) {
    stages.push({ rate: Math.round(startRate + ((peakRate - startRate) * step) / steps), seconds: 1 });
  }
  if (holdSeconds > 0) stages.push({ rate: peakRate, seconds: holdSeconds });
  stages.push(
    { rate: Math.round(peakRate / 2), seconds: 1 },
    { rate: Math.round(peakRate / 10), seconds: 1 },
  );
  return stages.filter((stage) => stage.rate > 0);
}

export function sustainedStages(rate: number, seconds: number): LoadStage[] {
  return [{ rate, seconds }];
}

export function totalSeconds(stages: readonly LoadStage[]): number {
  return stages.reduce((sum, stage) => sum + stage.seconds, 0);
}
