/**
 * Collects what the load generator saw — one latency and one status per answer — and turns it into
 * LoadFigures with exact percentiles (every latency is kept: a few hundred thousand numbers).
 */
import type { LoadFigures } from '../shaping/peak-shaving-run';

export class LoadRecorder {
  private latencies: number[] = [];
  private readonly statuses: Record<string, number> = {};
  private readonly startedAt = Date.now();
  private endedAt: number | undefined;

  record(status: number | 'error', latencyMs: number): void {
    this.statuses[status] = (this.statuses[status] ?? 0) + 1;
    if (status !== 'error') this.latencies.push(latencyMs);
  }

  /** Answers so far with a 5xx status or no answer at all. */
  get failures(): number {
    return Object.entries(this.statuses)
      .filter(([status]) => status === 'error' || status.startsWith('5'))
      .reduce((sum, [, count]) => sum + count, 0);
  }

  get count(): number {
    return Object.values(this.statuses).reduce((sum, count) => sum + count, 0);
  }

  finish(): LoadFigures {
    this.endedAt ??= Date.now();
    const sorted = Float64Array.from(this.latencies).sort();
    const durationSec = (this.endedAt - this.startedAt) / 1000;
    return {
      requests: this.count,
      durationSec,
      requestsPerSec: durationSec > 0 ? this.count / durationSec : 0,
      latencyMs: {
        p50: percentile(sorted, 0.5),
        p90: percentile(sorted, 0.9),
        p99: percentile(sorted, 0.99),
        max: sorted.length > 0 ? sorted[sorted.length - 1] : 0,
      },
      statusCounts: { ...this.statuses },
    };
  }
}

/** Nearest-rank percentile of sorted values; 0 when there are none. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil(p * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}
