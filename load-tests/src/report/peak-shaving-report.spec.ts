import { type PeakShavingRun, type PeakShavingSample } from '../shaping/peak-shaving-run';
import { renderPeakShavingReport } from './peak-shaving-report';
import { CHART_MARGIN } from './svg-chart';

/** 30 one-second samples: a 20-second spike to 5,000/s, 300/s admitted for 8 s, 150/s written. */
function spikeSamples(): PeakShavingSample[] {
  const samples: PeakShavingSample[] = [];
  let backlog = 0;
  for (let t = 0; t < 30; t += 1) {
    const edge = t >= 1 && t <= 20 ? (t === 10 ? 5000 : 4500) : 0;
    const accepted = t >= 1 && t <= 8 ? 300 : 0;
    backlog += accepted;
    const written = Math.min(150, backlog);
    backlog -= written;
    samples.push({
      t,
      edgeRequestsPerSec: edge,
      edgeAcceptedPerSec: accepted,
      ordersWrittenPerSec: written,
      backlog,
    });
  }
  return samples;
}

function run(overrides: Partial<PeakShavingRun> = {}): PeakShavingRun {
  return {
    scenario: 'spike-5k',
    tool: 'k6 v1.3.0',
    saleId: 'sale-1',
    startedAt: '2025-06-12T09:30:00.000Z',
    intervalMs: 1000,
    samples: spikeSamples(),
    load: {
      requests: 90_500,
      durationSec: 20,
      requestsPerSec: 4525,
      latencyMs: { p50: 4.2, p90: 11.8, p99: 38.5, max: 212.7 },
      statusCounts: { '409': 88_000, '202': 2400, '429': 100 },
    },
    books: { drained: true, drainMs: 17_250, violations: [] },
    ...overrides,
  };
}

function pointsOf(html: string, key: string): [number, number][] {
  const match = new RegExp(`<polyline data-series="${key}" points="([^"]*)"`).exec(html);
  if (!match) throw new Error(`no polyline for ${key}`);
  return match[1].split(' ').map((pair) => pair.split(',').map(Number) as [number, number]);
}

/** The text of the page with tags removed and whitespace collapsed, for looking for sentences. */
function textOf(html: string): string {
  return html
    .replace(/<style>[\s\S]*?<\/style>/, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ');
}

const SERIES = ['edgeRequestsPerSec', 'edgeAcceptedPerSec', 'ordersWrittenPerSec', 'backlog'];

describe('renderPeakShavingReport', () => {
  it('is one self-contained page: no scripts, no links, no URLs', () => {
    const html = renderPeakShavingReport(run());
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/<link|<img|<iframe|\bsrc=|\bhref=|@import|url\(/i);
    expect(html.match(/<svg /g)).toHaveLength(2);
  });

  it('draws each of the four series once, with a point per sample', () => {
    const html = renderPeakShavingReport(run());
    for (const key of SERIES) {
      expect(html.match(new RegExp(`<polyline data-series="${key}"`, 'g'))).toHaveLength(1);
      expect(pointsOf(html, key)).toHaveLength(30);
    }
  });

  it('puts the highest edge rate at the top of the plot and every zero at its bottom', () => {
    const html = renderPeakShavingReport(run());
    const edge = pointsOf(html, 'edgeRequestsPerSec');
    const top = Math.min(...edge.map(([, y]) => y));
    expect(top).toBe(CHART_MARGIN.top);
    expect(edge[10][1]).toBe(top);
    const bottom = Math.max(...edge.map(([, y]) => y));
    expect(edge[0][1]).toBe(bottom);
    // The orders line sits near the bottom of the same scale: 150 of 5,000.
    const orders = pointsOf(html, 'ordersWrittenPerSec');
    expect(orders[3][1]).toBeCloseTo(bottom - (bottom - top) * (150 / 5000), 0);
  });

  it('shows both charts on the same time axis', () => {
    const html = renderPeakShavingReport(run());
    expect(pointsOf(html, 'backlog').map(([x]) => x)).toEqual(
      pointsOf(html, 'edgeRequestsPerSec').map(([x]) => x),
    );
  });

  it('states the headline numbers of the run', () => {
    const text = textOf(renderPeakShavingReport(run()));
    expect(text).toContain('Peak at the edge 5,000 requests/s at t = 10 s');
    expect(text).toContain('Peak admitted (202) 300 /s at t = 1 s');
    // 2,400 admitted, written 150 at a time from t = 1 to t = 16.
    expect(text).toContain('Orders written 150 /s mean while writing, t = 1 s – 16 s');
    expect(text).toContain('Max backlog 1,200 messages at t = 8 s');
    expect(text).toContain('Backlog drained to 0 t = 16 s 8 s after its peak');
    expect(text).toContain('drained at 16 s');
    expect(text).toContain('Peak shaving: spike-5k (k6 v1.3.0)');
  });

  it('explains peak shaving in terms of this system', () => {
    const text = textOf(renderPeakShavingReport(run()));
    for (const phrase of [
      'Redis gate',
      'PURCHASE_REQUEST',
      'PURCHASE_ORDERS_PER_SECOND',
      'backlog',
      'broker',
    ]) {
      expect(text).toContain(phrase);
    }
  });

  it('tabulates the load figures and the statuses', () => {
    const text = textOf(renderPeakShavingReport(run()));
    expect(text).toContain('Requests 90,500');
    expect(text).toContain('Rate 4,525 requests/s');
    expect(text).toContain('Latency p50 4.2 ms');
    expect(text).toContain('Latency p90 11.8 ms');
    expect(text).toContain('Latency p99 38.5 ms');
    expect(text).toContain('Latency max 212.7 ms');
    expect(text).toMatch(/202 2,400 2\.7 % admitted/);
    expect(text).toMatch(/409 88,000 97\.2 % refused by the gate/);
    expect(text).toMatch(/429 100 0\.1 % rate limited/);
  });

  it('says the books balance, or lists what does not', () => {
    const balanced = textOf(renderPeakShavingReport(run()));
    expect(balanced).toContain('The queues drained in 17,250 ms.');
    expect(balanced).toContain('Books balance');

    const html = renderPeakShavingReport(
      run({
        books: {
          drained: false,
          drainMs: 60_000,
          violations: ['orders 2,399 ≠ admitted 2,400', 'stock <off>'],
        },
      }),
    );
    const text = textOf(html);
    expect(text).toContain('did not drain: the check gave up after 60,000 ms');
    expect(text).toContain('2 violations');
    expect(html).toContain('<li>orders 2,399 ≠ admitted 2,400</li>');
    expect(html).toContain('<li>stock &lt;off&gt;</li>');
  });

  it('escapes every string from the run file', () => {
    const html = renderPeakShavingReport(
      run({
        scenario: '<script>alert("x")</script>',
        tool: 'k6 & "friends"',
        saleId: "<img src=x onerror='boom'>",
        startedAt: '</title><h1>',
        load: { ...run().load!, statusCounts: { '<b>': 1 } },
      }),
    );
    expect(html).not.toMatch(/<script|<img|<\/title><h1>|<b>/);
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('k6 &amp; &quot;friends&quot;');
    expect(html).toContain('&lt;img src=x onerror=&#39;boom&#39;&gt;');
    expect(html.match(/<title>/g)).toHaveLength(3); // the page's and each chart's
  });

  it('says so when there are no samples, and still shows the figures', () => {
    const html = renderPeakShavingReport(run({ samples: [] }));
    expect(textOf(html)).toContain('This run has no samples.');
    expect(html).not.toContain('<svg');
    expect(textOf(html)).toContain('Requests 90,500');
    expect(textOf(html)).toContain('Books balance');
  });

  it('draws all-zero series on an axis from 0 to 1', () => {
    const samples = [0, 1, 2].map((t) => ({
      t,
      edgeRequestsPerSec: 0,
      edgeAcceptedPerSec: 0,
      ordersWrittenPerSec: 0,
      backlog: 0,
    }));
    const html = renderPeakShavingReport(run({ samples }));
    for (const key of SERIES) {
      const points = pointsOf(html, key);
      expect(new Set(points.map(([, y]) => y)).size).toBe(1);
      expect(points.every(([, y]) => Number.isFinite(y) && y > CHART_MARGIN.top)).toBe(true);
    }
    expect(html).not.toContain('NaN');
    expect(textOf(html)).toContain('no backlog');
    expect(textOf(html)).toContain('no orders were written');
  });

  it('says when the run has no load figures and no books check', () => {
    const text = textOf(renderPeakShavingReport(run({ load: undefined, books: undefined })));
    expect(text).toContain('No load figures were recorded for this run.');
    expect(text).toContain('The books were not checked in this run.');
  });

  it('reports a backlog still waiting at the end', () => {
    const samples = spikeSamples().slice(0, 10);
    const text = textOf(renderPeakShavingReport(run({ samples })));
    expect(text).toContain('not drained');
    expect(text).toContain('1,050 messages still waiting at t = 9 s');
  });
});
