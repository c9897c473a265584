import { LoadRecorder, percentile } from './load-recorder';

describe('LoadRecorder', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('counts statuses, keeps errors out of the latencies and flags 5xx and errors as failures', () => {
    const recorder = new LoadRecorder();
    recorder.record(202, 5);
    recorder.record(409, 1);
    recorder.record(503, 2);
    recorder.record('error', 30_000);

    const figures = recorder.finish();

    expect(figures.statusCounts).toEqual({ 202: 1, 409: 1, 503: 1, error: 1 });
    expect(figures.requests).toBe(4);
    expect(figures.latencyMs.max).toBe(5);
    expect(recorder.failures).toBe(2);
  });

  it('splits the run at the last 202 into the selling and the sold-out phase', () => {
    const recorder = new LoadRecorder();
    // Selling: slow answers while orders are being created, the last winner at t = 2 s.
    recorder.record(202, 80);
    jest.advanceTimersByTime(1_000);
    recorder.record(409, 120);
    jest.advanceTimersByTime(1_000);
    recorder.record(202, 100);
    // Sold out: fast 409s for 4 s.
    for (let i = 0; i < 4; i++) {
      jest.advanceTimersByTime(1_000);
      recorder.record(409, 2 + i);
    }

    const { phases, latencyMs } = recorder.finish();

    expect(latencyMs.p99).toBe(120);
    expect(phases?.selling).toMatchObject({ answers: 3, durationSec: 2, latencyMs: { p50: 100, p99: 120 } });
    expect(phases?.soldOut).toMatchObject({ answers: 4, durationSec: 4, answersPerSec: 1 });
    expect(phases?.soldOut.latencyMs).toMatchObject({ p50: 3, p99: 5, max: 5 });
  });

  it('keeps answers and latency percentiles per second of the run', () => {
    const recorder = new LoadRecorder();
    recorder.record(409, 10);
    recorder.record(409, 30);
    jest.advanceTimersByTime(2_500);
    recorder.record(409, 4);

    expect(recorder.finish().perSecond).toEqual([
      { second: 0, answers: 2, p50: 10, p99: 30, max: 30 },
      { second: 1, answers: 0, p50: 0, p99: 0, max: 0 },
      { second: 2, answers: 1, p50: 4, p99: 4, max: 4 },
    ]);
  });

  it('has no phases when nothing was admitted', () => {
    const recorder = new LoadRecorder();
    recorder.record(409, 1);

    expect(recorder.finish().phases).toBeUndefined();
  });

  it('takes nearest-rank percentiles', () => {
    const sorted = Float64Array.from({ length: 100 }, (_, i) => i + 1);

    expect(percentile(sorted, 0.5)).toBe(50);
    expect(percentile(sorted, 0.99)).toBe(99);
    expect(percentile(new Float64Array(0), 0.99)).toBe(0);
  });
});
