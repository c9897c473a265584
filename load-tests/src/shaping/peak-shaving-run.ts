/**
 * The record of one load-test run, as the sampler writes it (load-tests/results/<scenario>-<time>.json)
 * and the report renders it. One sample per interval (about a second) of the three lines a learner
 * should see: the spike at the HTTP edge, the flat line at the database, the backlog in between.
 */
export interface PeakShavingSample {
  /** Seconds since the run started. */
  t: number;
  /** Purchase requests the order service answered in the interval, per second (any status). */
  edgeRequestsPerSec: number;
  /** Of those, the ones admitted (202) and queued as request messages, per second. */
  edgeAcceptedPerSec: number;
  /** Orders written to PostgreSQL in the interval, per second (rows of the sale in purchase_order). */
  ordersWrittenPerSec: number;
  /** Request-topic messages not yet consumed by the order service's group: broker minus consumer offsets. */
  backlog: number;
}

export interface LatencyFigures {
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** Latency and status figures of the load generator (k6 or the Node driver) for the whole run. */
export interface LoadFigures {
  requests: number;
  durationSec: number;
  requestsPerSec: number;
  latencyMs: LatencyFigures;
  /** HTTP status → count, e.g. { "202": 500, "409": 41200 }; "error" for connection failures. */
  statusCounts: Record<string, number>;
  /**
   * The run split at the last 202 answer (Node driver only): `selling` while units were left and
   * orders were being created, `soldOut` after, when every answer came from the Redis gate alone.
   */
  phases?: { selling: LoadPhaseFigures; soldOut: LoadPhaseFigures };
  /** Answers and latency by the second of the run they arrived in (Node driver only). */
  perSecond?: LoadSecondFigures[];
}

export interface LoadSecondFigures {
  /** Seconds since the load started. */
  second: number;
  answers: number;
  p50: number;
  p99: number;
  max: number;
}

export interface LoadPhaseFigures {
  answers: number;
  durationSec: number;
  answersPerSec: number;
  latencyMs: LatencyFigures;
}

export interface PeakShavingRun {
  scenario: string;
  /** Which load generator produced the figures, e.g. "k6 v1.3.0" or "node driver (undici 7.30.2)". */
  tool: string;
  saleId: string;
  startedAt: string;
  intervalMs: number;
  samples: PeakShavingSample[];
  load?: LoadFigures;
  books?: { drained: boolean; drainMs: number; violations: string[] };
}
