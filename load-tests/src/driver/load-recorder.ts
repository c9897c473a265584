/**
 * Collects what the load generator saw — one latency and one status per answer — and turns it into
 * LoadFigures with exact percentiles (every latency is kept: a few hundred thousand numbers).
 *
 * It also splits the run at the last 202: a flash sale has two phases with different costs. While
 * units are left, winners' requests are queued on the broker and orders are being created on the same
 * machines; once sold out, every answer is a 409 from Redis. The phases say which one a slow p99
 * comes from.
 */
import type {
  LatencyFigures,
  LoadFigures,
  LoadPhaseFigures,
  LoadSecondFigures,
} from '../shaping/peak-shaving-run';

const ACCEPTED = 202;

export class LoadRecorder {
  private latencies: number[] = [];
  /** When each latency's answer arrived, ms since the recorder started (parallel to `latencies`). */
  private answeredAt: number[] = [];
  private lastAcceptedAt: number | undefined;
  private readonly statuses: Record<string, number> = {};
  private readonly startedAt = performance.now();
  private endedAt: number | undefined;

  record(status: number | 'error', latencyMs: number): void {
    this.statuses[status] = (this.statuses[status] ?? 0) + 1;
    if (status === 'error') return;
    const at = performance.now() - this.startedAt;
    this.latencies.push(latencyMs);
    this.answeredAt.push(at);
    if (status === ACCEPTED) this.lastAcceptedAt = at;
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
    this.endedAt ??= performance.now() - this.startedAt;
    const durationSec = this.endedAt / 1000;
    const figures: LoadFigures = {
      requests: this.count,
      durationSec,
      requestsPerSec: durationSec > 0 ? this.count / durationSec : 0,
      latencyMs: latencyFigures(this.latencies),
      statusCounts: { ...this.statuses },
    };
    if (this.lastAcceptedAt !== undefined) figures.phases = this.phases(this.lastAcceptedAt, this.endedAt);
    figures.perSecond = this.perSecond();
    return figures;
  }

  /** Answers and latency percentiles by the second they arrived in: the latency line of the run. */
  private perSecond(): LoadSecondFigures[] {
    const seconds: number[][] = [];
    this.answeredAt.forEach((at, i) => (seconds[Math.floor(at / 1000)] ??= []).push(this.latencies[i]));
    return Array.from(seconds, (latencies = [], second) => {
      const { p50, p99, max } = latencyFigures(latencies);
      return { second, answers: latencies.length, p50, p99, max };
    });
  }

  private phases(soldOutAt: number, endedAt: number): LoadFigures['phases'] {
    const selling: number[] = [];
    const soldOut: number[] = [];
    this.answeredAt.forEach((at, i) => (at <= soldOutAt ? selling : soldOut).push(this.latencies[i]));
    return {
      selling: phaseFigures(selling, soldOutAt),
      soldOut: phaseFigures(soldOut, endedAt - soldOutAt),
    };
  }
}

function phaseFigures(latencies: number[], durationMs: number): LoadPhaseFigures {
  const durationSec = durationMs / 1000;
  return {
    answers: latencies.length,
    durationSec,
    answersPerSec: durationSec > 0 ? latencies.length / durationSec : 0,
    latencyMs: latencyFigures(latencies),
  };
}

function latencyFigures(latencies: number[]): LatencyFigures {
  const sorted = Float64Array.from(latencies).sort();
  return {
    p50: percentile(sorted, 0.5),
    p90: percentile(sorted, 0.9),
    p99: percentile(sorted, 0.99),
    max: sorted.length > 0 ? sorted[sorted.length - 1] : 0,
  };
}

/** Nearest-rank percentile of sorted values; 0 when there are none. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil(p * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}
