import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runArrivalRate } from './arrival-rate-generator';
import { LoadRecorder } from './load-recorder';

describe('runArrivalRate', () => {
  let server: Server;
  let origin: string;
  let arrivals: number[];
  let answerAfterMs: number;

  beforeAll(async () => {
    server = createServer((request, response) => {
      arrivals.push(performance.now());
      request.resume();
      request.on('end', () => setTimeout(() => response.writeHead(202).end(), answerAfterMs));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  beforeEach(() => {
    arrivals = [];
    answerAfterMs = 0;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('starts rate × seconds requests per stage, spread over the stage, and records every answer', async () => {
    const recorder = new LoadRecorder();
    const started = performance.now();
    const result = await runArrivalRate({
      origin,
      stages: [
        { rate: 200, seconds: 1 },
        { rate: 400, seconds: 1 },
      ],
      nextRequest: () => ({ method: 'POST', path: '/buy', body: '{}' }),
      recorder,
    });
    expect(result).toEqual({ started: 600, dropped: 0 });
    expect(recorder.finish().statusCounts).toEqual({ '202': 600 });
    // An open model: arrivals follow the schedule — about 200 in the first second, 400 in the second.
    const inFirstSecond = arrivals.filter((at) => at - started < 1_000).length;
    expect(inFirstSecond).toBeGreaterThan(150);
    expect(inFirstSecond).toBeLessThan(260);
    expect(performance.now() - started).toBeGreaterThanOrEqual(2_000);
  });

  it('does not wait for slow answers before starting the next arrivals, and drops beyond maxInFlight', async () => {
    answerAfterMs = 600;
    const recorder = new LoadRecorder();
    const result = await runArrivalRate({
      origin,
      stages: [{ rate: 100, seconds: 1 }],
      nextRequest: () => ({ method: 'GET', path: '/' }),
      recorder,
      maxInFlight: 40,
    });
    // Answers take 600 ms, so at most 40 wait at once: of the 100 due, the ones beyond 40 are dropped
    // until the first answers come back at 600 ms, after which arrivals start again.
    expect(result.started + result.dropped).toBe(100);
    expect(result.dropped).toBeGreaterThan(10);
    expect(recorder.finish().statusCounts).toEqual({ '202': result.started });
    expect(recorder.finish().latencyMs.p50).toBeGreaterThanOrEqual(590);
  });

  it('counts a request that gets no answer as an error', async () => {
    const recorder = new LoadRecorder();
    await runArrivalRate({
      origin: 'http://127.0.0.1:1',
      stages: [{ rate: 20, seconds: 0.5 }],
      nextRequest: () => ({ method: 'GET', path: '/' }),
      recorder,
    });
    expect(recorder.finish().statusCounts).toEqual({ error: 10 });
  });
});
