/**
 * The page a learner opens after a load test to see peak shaving happen: the spike of purchase
 * requests at the HTTP edge, the flat line of orders written to PostgreSQL, and the backlog in the
 * broker that turns one into the other. One HTML file with its CSS and charts inline, so it can be
 * attached to an issue or opened from a CI artifact with no network and nothing else beside it.
 */
import { type LoadFigures, type LoadPhaseFigures, type PeakShavingRun } from '../shaping/peak-shaving-run';
import { escapeHtml, formatNumber } from './html-text';
import { type PeakShavingSummary, summarizeSamples } from './peak-shaving-summary';
import { type LineSeries, renderLineChart } from './svg-chart';

/** The colours of the three stories, used by the charts and the headline figures alike. */
const COLORS = {
  edge: '#dc2626',
  accepted: '#d97706',
  orders: '#16a34a',
  backlog: '#7c3aed',
} as const;

const CHART_WIDTH = 1100;

/** What each HTTP status of POST /purchases means, for the status table. */
const STATUS_MEANINGS: Record<string, string> = {
  '202': 'admitted by the gate, queued as a purchase request',
  '400': 'refused: quantity above the per-user limit',
  '404': 'refused: no such sale',
  '409': 'refused by the gate: sold out, already bought, not started or ended',
  '429': 'rate limited: too many attempts by one user',
  '503': 'purchase unavailable: the send failed and the gate was undone',
  error: 'no HTTP answer (connection failure or timeout)',
};

export function renderPeakShavingReport(run: PeakShavingRun): string {
  const title = `Peak shaving: ${run.scenario} (${run.tool})`;
  const samples = [...run.samples].sort((a, b) => a.t - b.t);
  const summary = summarizeSamples(samples);
  const body = [
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="meta">Sale <code>${escapeHtml(run.saleId)}</code> · started ${escapeHtml(run.startedAt)} · ` +
      `one sample every ${formatNumber(run.intervalMs)} ms · ${formatNumber(samples.length)} samples</p>`,
    summary ? renderHeadline(summary) + renderCharts(run, summary) : renderNoSamples(),
    renderExplanation(),
    '<div class="tables">',
    renderLoad(run.load),
    renderBooks(run.books),
    '</div>',
  ];
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<main>',
    ...body,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function renderHeadline(summary: PeakShavingSummary): string {
  const { peakEdgeRequests, peakAccepted, orderWriting, maxBacklog, backlogDrain } = summary;
  const cards = [
    card(
      'Peak at the edge',
      rate(peakEdgeRequests.value),
      'requests/s',
      `at t = ${seconds(peakEdgeRequests.t)}`,
      COLORS.edge,
    ),
    card(
      'Peak admitted (202)',
      rate(peakAccepted.value),
      '/s',
      `at t = ${seconds(peakAccepted.t)}`,
      COLORS.accepted,
    ),
    orderWriting
      ? card(
          'Orders written',
          rate(orderWriting.meanPerSec),
          '/s mean',
          `while writing, t = ${seconds(orderWriting.fromT)} – ${seconds(orderWriting.toT)}`,
          COLORS.orders,
        )
      : card('Orders written', '0', '', 'no orders were written', COLORS.orders),
    card(
      'Max backlog',
      formatNumber(maxBacklog.value),
      'messages',
      `at t = ${seconds(maxBacklog.t)}`,
      COLORS.backlog,
    ),
    backlogDrain.kind === 'drained'
      ? card(
          'Backlog drained to 0',
          `t = ${formatNumber(backlogDrain.t, 1)}`,
          's',
          `${seconds(backlogDrain.secondsAfterPeak)} after its peak`,
          COLORS.backlog,
        )
      : backlogDrain.kind === 'not-drained'
        ? card(
            'Backlog drained to 0',
            'not drained',
            '',
            `${formatNumber(backlogDrain.lastBacklog)} messages still waiting at t = ${seconds(backlogDrain.lastT)}`,
            COLORS.backlog,
          )
        : card(
            'Backlog drained to 0',
            'no backlog',
            '',
            'the consumer kept up with the gate',
            COLORS.backlog,
          ),
  ];
  return `<section class="headline">${cards.join('\n')}</section>`;
}

function card(label: string, value: string, unit: string, note: string, color: string): string {
  return (
    `<div class="card" style="border-top-color:${escapeHtml(color)}"><div class="card-label">${escapeHtml(label)}</div>` +
    `<div class="card-value">${escapeHtml(value)} <span class="unit">${escapeHtml(unit)}</span></div>` +
    `<div class="card-note">${escapeHtml(note)}</div></div>`
  );
}

/**
 * Two charts stacked on one time axis rather than one chart with two y axes: a rate and a count of
 * messages on one plot invite comparing heights that mean different things. The first keeps all
 * three rates on one scale, so the spike dwarfs the line of orders, which is the point.
 */
function renderCharts(run: PeakShavingRun, summary: PeakShavingSummary): string {
  const samples = [...run.samples].sort((a, b) => a.t - b.t);
  const xValues = samples.map((sample) => sample.t);
  const xLabel = 'seconds since the start of the run';
  const rates: LineSeries[] = [
    {
      key: 'edgeRequestsPerSec',
      label: 'requests at the HTTP edge /s',
      color: COLORS.edge,
      values: samples.map((sample) => sample.edgeRequestsPerSec),
    },
    {
      key: 'edgeAcceptedPerSec',
      label: 'admitted by the gate (202) /s',
      color: COLORS.accepted,
      values: samples.map((sample) => sample.edgeAcceptedPerSec),
    },
    {
      key: 'ordersWrittenPerSec',
      label: 'orders written to PostgreSQL /s',
      color: COLORS.orders,
      values: samples.map((sample) => sample.ordersWrittenPerSec),
      strokeWidth: 3,
    },
  ];
  const backlog: LineSeries = {
    key: 'backlog',
    label: 'messages waiting in the request topic',
    color: COLORS.backlog,
    values: samples.map((sample) => sample.backlog),
    fill: true,
  };
  const drain = summary.backlogDrain;
  const rateChart = renderLineChart({
    title: 'The spike at the edge and the flat line at the database',
    width: CHART_WIDTH,
    height: 390,
    xValues,
    xMax: summary.lastT,
    xLabel,
    yLabel: 'per second',
    series: rates,
  });
  const backlogChart = renderLineChart({
    title: 'The backlog in the broker in between',
    width: CHART_WIDTH,
    height: 250,
    xValues,
    xMax: summary.lastT,
    xLabel,
    yLabel: 'messages',
    series: [backlog],
    integerTicks: true,
    markers:
      drain.kind === 'drained'
        ? [{ x: drain.t, label: `drained at ${seconds(drain.t)}`, color: COLORS.backlog }]
        : [],
  });
  return `<section class="charts">\n${rateChart}\n${backlogChart}\n</section>`;
}

function renderNoSamples(): string {
  return (
    '<section class="notice"><strong>This run has no samples.</strong> The sampler recorded nothing, so ' +
    'there is no spike, order line or backlog to chart. The load figures and the books, if the run has ' +
    'them, are below.</section>'
  );
}

function renderExplanation(): string {
  return `<section class="explain">
<h2>What peak shaving is</h2>
<p>A flash sale brings far more buyers in a few seconds than a database could write orders for. The order
service does not try: its <strong>Redis gate</strong> (one Lua script) answers every purchase at once, a 409 for
the many who lose and a 202 for the few it admits, without touching PostgreSQL. Each admitted purchase becomes
a <code>PURCHASE_REQUEST</code> <strong>message</strong> on the broker. The order consumer takes those messages
at its own steady pace — <code>PURCHASE_ORDERS_PER_SECOND</code> (50 by default), at most
<code>PURCHASE_CONSUMER_CONCURRENCY</code> in flight — and writes the orders, so the
database sees a steady rate however steep the spike. What the consumer has not reached yet is the
<strong>backlog</strong>: it waits in the broker, not in a process or the database, rising while the gate
admits faster than the consumer writes and draining once the admissions stop.</p>
</section>`;
}

/** The run's two phases, split at the last 202 (see LoadRecorder): where a slow p99 comes from. */
function phaseRows(name: string, phase: LoadPhaseFigures | undefined): [string, string][] {
  if (!phase) return [];
  return [
    [
      `Rate ${name}`,
      `${formatNumber(phase.answersPerSec, 1)} answers/s over ${formatNumber(phase.durationSec, 1)} s`,
    ],
    [`Latency p50 / p99 ${name}`, `${ms(phase.latencyMs.p50)} / ${ms(phase.latencyMs.p99)}`],
  ];
}

function renderLoad(load: LoadFigures | undefined): string {
  if (!load) {
    return '<section class="load"><h2>Load generator</h2><p class="muted">No load figures were recorded for this run.</p></section>';
  }
  const figures: [string, string][] = [
    ['Requests', formatNumber(load.requests)],
    ['Duration', `${formatNumber(load.durationSec, 1)} s`],
    ['Rate', `${formatNumber(load.requestsPerSec, 1)} requests/s`],
    ['Latency p50', ms(load.latencyMs.p50)],
    ['Latency p90', ms(load.latencyMs.p90)],
    ['Latency p99', ms(load.latencyMs.p99)],
    ['Latency max', ms(load.latencyMs.max)],
    ...phaseRows('while selling', load.phases?.selling),
    ...phaseRows('once sold out', load.phases?.soldOut),
  ];
  const rows = figures.map(
    ([name, value]) => `<tr><th>${escapeHtml(name)}</th><td class="num">${escapeHtml(value)}</td></tr>`,
  );
  const statuses = Object.entries(load.statusCounts).sort(([a], [b]) => a.localeCompare(b, 'en'));
  const total = statuses.reduce((sum, [, count]) => sum + count, 0);
  const statusRows = statuses.map(
    ([status, count]) =>
      `<tr><th>${escapeHtml(status)}</th><td class="num">${formatNumber(count)}</td>` +
      `<td class="num">${total > 0 ? formatNumber((100 * count) / total, 1) : '0'} %</td>` +
      `<td>${escapeHtml(STATUS_MEANINGS[status] ?? '')}</td></tr>`,
  );
  return `<section class="load">
<h2>Load generator</h2>
<table class="figures"><tbody>
${rows.join('\n')}
</tbody></table>
<h3>HTTP statuses</h3>
${
  statusRows.length > 0
    ? `<table class="statuses"><thead><tr><th>status</th><th class="num">count</th><th class="num">share</th><th>meaning</th></tr></thead><tbody>\n${statusRows.join('\n')}\n</tbody></table>`
    : '<p class="muted">No statuses were recorded.</p>'
}
</section>`;
}

function renderBooks(books: PeakShavingRun['books']): string {
  if (!books) {
    return '<section class="books"><h2>Books balance</h2><p class="muted">The books were not checked in this run.</p></section>';
  }
  const drain = books.drained
    ? `The queues drained in ${formatNumber(books.drainMs)} ms.`
    : `The queues did not drain: the check gave up after ${formatNumber(books.drainMs)} ms and ran anyway.`;
  const verdict =
    books.violations.length === 0
      ? '<p class="verdict ok">✓ Books balance: orders, stock, Redis counters and notifications agree.</p>'
      : `<p class="verdict bad">✗ ${formatNumber(books.violations.length)} ` +
        `${books.violations.length === 1 ? 'violation' : 'violations'}:</p>\n<ul class="violations">\n` +
        books.violations.map((violation) => `<li>${escapeHtml(violation)}</li>`).join('\n') +
        '\n</ul>';
  return `<section class="books">
<h2>Books balance</h2>
<p class="${books.drained ? '' : 'bad'}">${escapeHtml(drain)}</p>
${verdict}
</section>`;
}

function rate(value: number): string {
  return formatNumber(value, Math.abs(value) >= 100 ? 0 : 1);
}

function seconds(value: number): string {
  return `${formatNumber(value, 1)} s`;
}

function ms(value: number): string {
  return `${formatNumber(value, 1)} ms`;
}

const STYLE = `
*{box-sizing:border-box}
body{margin:0;background:#f8fafc;color:#111827;font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif}
main{max-width:1140px;margin:0 auto;padding:18px 20px 40px}
h1{font-size:22px;margin:0 0 2px}
h2{font-size:17px;margin:0 0 8px}
h3{font-size:14px;margin:14px 0 6px}
code{font:12.5px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#eef2f7;padding:1px 4px;border-radius:3px}
.meta{color:#4b5563;margin:0 0 12px}
.muted{color:#6b7280}
.headline{display:grid;grid-template-columns:repeat(5,1fr);gap:10px;margin-bottom:10px}
.card{background:#fff;border:1px solid #e5e7eb;border-top:4px solid #9ca3af;border-radius:6px;padding:8px 12px}
.card-label{font-size:12px;color:#4b5563;text-transform:uppercase;letter-spacing:.03em}
.card-value{font-size:22px;font-weight:650;white-space:nowrap}
.unit{font-size:13px;font-weight:400;color:#4b5563}
.card-note{font-size:12px;color:#6b7280}
.charts{background:#fff;border:1px solid #e5e7eb;border-radius:6px;padding:6px 8px;margin-bottom:16px}
.chart{display:block;max-width:100%;height:auto}
.notice{background:#fffbeb;border:1px solid #fcd34d;border-radius:6px;padding:14px 16px;margin-bottom:16px}
.explain{background:#fff;border:1px solid #e5e7eb;border-radius:6px;padding:12px 16px;margin-bottom:16px}
.explain p{margin:0;max-width:100ch}
.tables{display:grid;grid-template-columns:1fr 1fr;gap:16px;align-items:start}
.tables section{background:#fff;border:1px solid #e5e7eb;border-radius:6px;padding:12px 16px}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #f1f5f9;vertical-align:top}
thead th{color:#4b5563;font-weight:600;border-bottom:1px solid #e5e7eb}
.figures th{font-weight:500;color:#374151;width:40%}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.verdict{font-weight:600}
.ok{color:#15803d}
.bad{color:#b91c1c}
.violations{margin:4px 0 0;padding-left:20px;color:#7f1d1d}
`;
