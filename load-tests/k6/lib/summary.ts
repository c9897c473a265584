/**
 * handleSummary(): a short text report on stdout and the figures as JSON under RESULTS_DIR.
 *
 * The JSON is meant to sit next to samples of the backlog and the database (the `npm run load:*`
 * wrappers): k6 sees only the edge (how fast the gate answers, how many were admitted), not what the
 * broker and PostgreSQL did with them afterwards. `setup_data` carries the sale id, so the books of
 * that sale can be balanced once the queues have drained.
 *
 * The text is our own rather than k6's default summary: it leads with the flash-sale numbers (accepted
 * versus the sale quantity, rejections by reason) and the thresholds, and leaves out the builtin
 * connection timings that say nothing about the broker.
 */

/** The parts of k6's summary data we read (the shape k6 passes to handleSummary). */
interface MetricSummary {
  type: 'counter' | 'gauge' | 'rate' | 'trend';
  contains: 'default' | 'time' | 'data';
  values: Record<string, number>;
  thresholds?: Record<string, { ok: boolean }>;
}

interface CheckSummary {
  name: string;
  passes: number;
  fails: number;
}

interface GroupSummary {
  name: string;
  checks: CheckSummary[];
  groups: GroupSummary[];
}

/**
 * k6's classic handleSummary data. Recent k6 versions can pass a different, machine-readable shape
 * when asked to (an opt-in), so every part is read as possibly missing rather than trusted.
 */
export interface SummaryData {
  metrics?: Record<string, MetricSummary>;
  root_group?: GroupSummary;
  state?: { testRunDurationMs?: number };
  setup_data?: unknown;
}

/** Builtins that describe the client's sockets rather than the system under test. */
const HIDDEN = new Set([
  'data_received',
  'data_sent',
  'http_req_blocked',
  'http_req_connecting',
  'http_req_tls_handshaking',
  'http_req_sending',
  'http_req_receiving',
  'http_req_waiting',
  'vus',
  'vus_max',
]);

function num(value: number | undefined, digits = 0): string {
  return value === undefined || !Number.isFinite(value) ? '-' : value.toFixed(digits);
}

function describeMetric(metric: MetricSummary): string {
  const v = metric.values ?? {};
  switch (metric.type) {
    case 'counter':
      return `${num(v.count)} (${num(v.rate, 1)}/s)`;
    case 'rate':
      return `${num((v.rate ?? 0) * 100, 2)}% (${num(v.passes)} of ${num((v.passes ?? 0) + (v.fails ?? 0))})`;
    case 'gauge':
      return `${num(v.value)} (min ${num(v.min)}, max ${num(v.max)})`;
    case 'trend': {
      const unit = metric.contains === 'time' ? ' ms' : '';
      const stats = ['med', 'p(95)', 'p(99)', 'max'].map((s) => `${s} ${num(v[s], 1)}${unit}`);
      return stats.join('  ');
    }
    default:
      return '';
  }
}

function allChecks(group: GroupSummary | undefined): CheckSummary[] {
  if (group === undefined) return [];
  return [...(group.checks ?? []), ...(group.groups ?? []).flatMap(allChecks)];
}

interface ThresholdResult {
  metric: string;
  expression: string;
  ok: boolean;
}

function thresholdResults(metrics: Record<string, MetricSummary>): ThresholdResult[] {
  return Object.keys(metrics)
    .sort()
    .flatMap((metric) =>
      Object.entries(metrics[metric].thresholds ?? {}).map(([expression, { ok }]) => ({
        metric,
        expression,
        ok,
      })),
    );
}

function pad(text: string, width: number): string {
  return text.length >= width ? text + ' ' : text + ' '.repeat(width - text.length);
}

function formatText(scenario: string, data: SummaryData, jsonPath: string): string {
  const metrics = data.metrics ?? {};
  const lines: string[] = [];
  lines.push(`${scenario}: ${num((data.state?.testRunDurationMs ?? NaN) / 1000, 1)} s`);
  const sale = data.setup_data as Partial<{ saleId: string; sku: string; quantity: number }> | undefined;
  if (sale?.saleId) lines.push(`sale ${sale.saleId} (sku ${sale.sku}, ${sale.quantity} units)`);

  const names = Object.keys(metrics)
    .filter((name) => !HIDDEN.has(name))
    .sort();
  if (names.length > 0) {
    lines.push('', 'metrics');
    const width = Math.max(...names.map((name) => name.length)) + 2;
    for (const name of names) lines.push(`  ${pad(name, width)}${describeMetric(metrics[name])}`);
  }

  const checks = allChecks(data.root_group);
  if (checks.length > 0) {
    lines.push('', 'checks');
    for (const c of checks) {
      lines.push(
        `  ${c.fails === 0 ? 'ok    ' : 'FAILED'}  ${c.name}: ${c.passes} passed, ${c.fails} failed`,
      );
    }
  }

  const thresholds = thresholdResults(metrics);
  lines.push('', 'thresholds');
  for (const t of thresholds) lines.push(`  ${t.ok ? 'ok    ' : 'FAILED'}  ${t.metric}: ${t.expression}`);
  const failed = thresholds.filter((t) => !t.ok).length;
  lines.push(
    '',
    failed === 0 ? 'all thresholds passed' : `${failed} threshold(s) FAILED`,
    `summary: ${jsonPath}`,
    '',
  );
  return lines.join('\n');
}

/**
 * The handleSummary export of a scenario. k6 writes each key of the returned object: `stdout`, or a
 * file path relative to the working directory (the directory must exist; k6 does not create it).
 */
export function summaryHandler(scenario: string, resultsDir: string) {
  const jsonPath = `${resultsDir}/${scenario}-k6-summary.json`;
  return (data: SummaryData): Record<string, string> => {
    const thresholds = thresholdResults(data.metrics ?? {});
    const report = {
      scenario,
      tool: 'k6',
      sale: data.setup_data ?? null,
      testRunDurationMs: data.state?.testRunDurationMs ?? null,
      thresholdsPassed: thresholds.every((t) => t.ok),
      thresholds,
      checks: allChecks(data.root_group),
      metrics: data.metrics ?? {},
    };
    return {
      stdout: formatText(scenario, data, jsonPath),
      [jsonPath]: JSON.stringify(report, null, 2),
    };
  };
}
