/**
 * An open-model load generator, the Node stand-in for k6's arrival-rate executors: requests start on
 * schedule — `rate` per second, stage after stage — whether or not earlier ones have been answered,
 * as a crowd at 10:00:00 does. A closed loop of users would slow down with the server and hide exactly
 * the overload a flash sale is about. Every request started is awaited at the end, so no answer goes
 * unrecorded; when `maxInFlight` requests are already waiting, a due request is dropped and counted
 * (k6's dropped_iterations), never silently delayed.
 *
 * HTTP is undici's connection pool (keep-alive, no pipelining): light enough that the generator shares
 * a 2-core machine with the stack under test without becoming the bottleneck at a few thousand req/s.
 */
import { Pool } from 'undici';
import type { LoadStage } from './load-shape';
import type { LoadRecorder } from './load-recorder';

export interface GeneratedRequest {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
}

export interface ArrivalRateOptions {
  /** Scheme, host and port of the service, e.g. http://127.0.0.1:3001. */
  origin: string;
  stages: readonly LoadStage[];
  /** The next request to start (called once per arrival). */
  nextRequest: () => GeneratedRequest;
  recorder: LoadRecorder;
  /** Keep-alive connections to the service (default 100). */
  connections?: number;
  /** Requests waiting for an answer at most; further arrivals are dropped (default 2,000). */
  maxInFlight?: number;
  /** Called after each stage. */
  onStage?: (stage: LoadStage, index: number) => void;
}

export interface ArrivalRateResult {
  started: number;
  /** Arrivals not started because maxInFlight requests were already waiting. */
  dropped: number;
}

/** How often the scheduler wakes to start the requests that have come due. */
const TICK_MS = 2;

export async function runArrivalRate(options: ArrivalRateOptions): Promise<ArrivalRateResult> {
  const pool = new Pool(options.origin, { connections: options.connections ?? 100, pipelining: 1 });
  const maxInFlight = options.maxInFlight ?? 2_000;
  const inFlight = new Set<Promise<void>>();
  const result: ArrivalRateResult = { started: 0, dropped: 0 };
  const arrive = () => {
    if (inFlight.size >= maxInFlight) {
      result.dropped++;
      return;
    }
    result.started++;
    const request = send(pool, options.nextRequest(), options.recorder).finally(() =>
      inFlight.delete(request),
    );
    inFlight.add(request);
  };
  try {
    for (const [index, stage] of options.stages.entries()) {
      await runStage(stage, arrive);
      options.onStage?.(stage, index);
    }
    await Promise.all(inFlight);
  } finally {
    await pool.close();
  }
  return result;
}

/** Calls `arrive` rate × seconds times, spread evenly over the stage. */
async function runStage(stage: LoadStage, arrive: () => void): Promise<void> {
  const total = Math.round(stage.rate * stage.seconds);
  const startedAt = performance.now();
  let arrived = 0;
  while (arrived < total) {
    const due = Math.min(total, Math.floor(((performance.now() - startedAt) / 1000) * stage.rate) + 1);
    for (; arrived < due; arrived++) arrive();
    await new Promise((resolve) => setTimeout(resolve, TICK_MS));
  }
  // The stage lasts its full length even when its last arrival came early.
  const left = startedAt + stage.seconds * 1000 - performance.now();
  if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
}

async function send(pool: Pool, request: GeneratedRequest, recorder: LoadRecorder): Promise<void> {
  const started = performance.now();
  try {
    const response = await pool.request({
      method: request.method,
      path: request.path,
      headers: request.body === undefined ? undefined : { 'content-type': 'application/json' },
      body: request.body,
      headersTimeout: 10_000,
      bodyTimeout: 10_000,
    });
    await response.body.dump();
    recorder.record(response.statusCode, performance.now() - started);
  } catch {
    // No answer at all (refused, reset, timed out): counted as `error`, which fails the run.
    recorder.record('error', performance.now() - started);
  }
}
