/**
 * The few numbers that say whether peak shaving happened, for the top of the report: how high the
 * spike at the edge went, how much of it the gate let through, how fast the database was actually
 * written, and how big the backlog in the broker got and when it was gone. A reader should not have
 * to read them off the chart.
 */
import { type PeakShavingSample } from '../shaping/peak-shaving-run';

export interface PeakAt {
  value: number;
  /** The sample's t (seconds since the start); the first such sample when several tie. */
  t: number;
}

export type BacklogDrain =
  /** The backlog never rose above 0: the consumer kept up with every admission. */
  | { kind: 'no-backlog' }
  /** The first sample at or after the peak whose backlog is 0. */
  | { kind: 'drained'; t: number; secondsAfterPeak: number }
  /** Still messages waiting at the last sample. */
  | { kind: 'not-drained'; lastT: number; lastBacklog: number };

export interface PeakShavingSummary {
  samples: number;
  firstT: number;
  lastT: number;
  peakEdgeRequests: PeakAt;
  peakAccepted: PeakAt;
  /**
   * Orders written per second averaged over the samples from the first to the last that wrote any
   * (the gaps in between included): the pace of the consumer, not diluted by the idle start and end.
   * Null when no orders were written.
   */
  orderWriting: { meanPerSec: number; fromT: number; toT: number } | null;
  maxBacklog: PeakAt;
  backlogDrain: BacklogDrain;
}

/** Null for a run without samples: there is nothing to summarise. */
export function summarizeSamples(samples: readonly PeakShavingSample[]): PeakShavingSummary | null {
  if (samples.length === 0) return null;
  const ordered = [...samples].sort((a, b) => a.t - b.t);

  const maxBacklog = peakOf(ordered, (sample) => sample.backlog);
  return {
    samples: ordered.length,
    firstT: ordered[0].t,
    lastT: ordered[ordered.length - 1].t,
    peakEdgeRequests: peakOf(ordered, (sample) => sample.edgeRequestsPerSec),
    peakAccepted: peakOf(ordered, (sample) => sample.edgeAcceptedPerSec),
    orderWriting: orderWriting(ordered),
    maxBacklog,
    backlogDrain: backlogDrain(ordered, maxBacklog),
  };
}

function peakOf(samples: readonly PeakShavingSample[], value: (sample: PeakShavingSample) => number): PeakAt {
  let peak: PeakAt = { value: value(samples[0]), t: samples[0].t };
  for (const sample of samples) if (value(sample) > peak.value) peak = { value: value(sample), t: sample.t };
  return peak;
}

function orderWriting(samples: readonly PeakShavingSample[]): PeakShavingSummary['orderWriting'] {
  const first = samples.findIndex((sample) => sample.ordersWrittenPerSec > 0);
  if (first < 0) return null;
  let last = samples.length - 1;
  while (samples[last].ordersWrittenPerSec <= 0) last -= 1;
  const window = samples.slice(first, last + 1);
  const total = window.reduce((sum, sample) => sum + sample.ordersWrittenPerSec, 0);
  return { meanPerSec: total / window.length, fromT: samples[first].t, toT: samples[last].t };
}

function backlogDrain(samples: readonly PeakShavingSample[], maxBacklog: PeakAt): BacklogDrain {
  if (maxBacklog.value <= 0) return { kind: 'no-backlog' };
  const drained = samples.find((sample) => sample.t >= maxBacklog.t && sample.backlog <= 0);
  if (drained) return { kind: 'drained', t: drained.t, secondsAfterPeak: drained.t - maxBacklog.t };
  const last = samples[samples.length - 1];
  return { kind: 'not-drained', lastT: last.t, lastBacklog: last.backlog };
}
