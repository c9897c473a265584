/**
 * One load-test run from start to finish, as `npm run load:<scenario>` does it and the e2e suite does
 * it in small: a fresh sale; the sampler on; the load (k6 when installed, else the Node driver); wait
 * for the queues to drain and check the books; write the run record and render the peak-shaving
 * report. The result lists every failed expectation: a books violation, a 5xx or unexpected status, a
 * missed latency threshold, a k6 threshold.
 */
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BooksReport } from '../books/books';
import { checkBooksBalance } from '../books/books-balance';
import { BuyerPool } from '../driver/buyer-pool';
import { type CheckoutFigures, runCheckout } from '../driver/checkout-load';
import { findK6, K6_INSTALL_HINT, readK6Figures, runK6 } from '../driver/k6-runner';
import { spikeStages, sustainedStages } from '../driver/load-shape';
import { EXPECTED_PURCHASE_STATUSES, runPurchaseLoad } from '../driver/purchase-load';
import { createSale, requireHealthy } from '../driver/sale-setup';
import { renderReportFiles } from '../report/render-report.cli';
import type { LoadFigures, PeakShavingRun } from '../shaping/peak-shaving-run';
import { PeakShavingSampler } from '../shaping/peak-shaving-sampler';
import { booksTargetOf, type StackTarget } from '../stack/stack-target';
import { K6_SCRIPTS, type ScenarioSettings } from './scenario-config';

export type DriverChoice = 'auto' | 'k6' | 'node';

export interface ScenarioRunOptions {
  settings: ScenarioSettings;
  stack: StackTarget;
  driver?: DriverChoice;
  resultsDir: string;
  /** Keep-alive connections of the Node driver (default 100). */
  connections?: number;
  /** How long to wait for the queues to drain after the load (default 180 s). */
  drainTimeoutMs?: number;
  /** How long nothing may change for the queues to count as drained (default 3 s); longer than the
   * order close delay when unpaid orders should be closed before the books are checked. */
  drainQuietMs?: number;
  /** Also render a PNG of the report when a Chromium is installed. */
  png?: boolean;
  /** The environment the k6 knobs (PEAK_RATE, RATE, ...) are passed on from. */
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

export interface ScenarioResult {
  run: PeakShavingRun;
  runPath: string;
  reportPath: string;
  books: BooksReport;
  checkout?: CheckoutFigures;
  /** Empty when the run met every expectation. */
  failures: string[];
}

/** The purchase endpoint's latency goal, the same threshold as the k6 scripts'. */
export const PURCHASE_P99_GOAL_MS = 50;

const REPO_ROOT = path.resolve(__dirname, '../../..');

interface LoadOutcome {
  figures: LoadFigures;
  tool: string;
  checkout?: CheckoutFigures;
  /** Expectations of the load itself that failed (statuses, thresholds). */
  failures: string[];
}

export async function runScenario(options: ScenarioRunOptions): Promise<ScenarioResult> {
  const { settings, stack } = options;
  const log = options.log ?? ((line: string) => console.log(line));
  await requireHealthy('order', stack.orderUrl);
  await requireHealthy('inventory', stack.inventoryUrl);
  const k6 = chooseK6(options.driver ?? 'auto', log);

  const sale = await createSale({
    inventoryUrl: stack.inventoryUrl,
    orderUrl: stack.orderUrl,
    quantity: settings.stock,
    perUserLimit: settings.perUserLimit,
  });
  log(`${settings.scenario}: sale ${sale.saleId} of ${settings.stock} units (product ${sale.sku})`);
  const booksTarget = booksTargetOf(stack, sale.saleId, sale.productStock);
  const startedAt = new Date();
  const sampler = await PeakShavingSampler.start({
    orderUrl: stack.orderUrl,
    orderDatabaseUrl: booksTarget.orderDatabaseUrl,
    nameServer: stack.nameServer,
    saleId: sale.saleId,
  });

  let load: LoadOutcome;
  let books: BooksReport;
  try {
    load = k6
      ? await loadWithK6(k6, options, sale.saleId)
      : await loadWithNodeDriver(options, sale.saleId, startedAt, log);
    log(`${settings.scenario}: load done; waiting for the queues to drain, then checking the books`);
    books = await checkBooksBalance(booksTarget, {
      timeoutMs: options.drainTimeoutMs ?? 180_000,
      quietMs: options.drainQuietMs,
      log,
    });
  } catch (error) {
    // The run's own failure is the one to report; the sampler's, if any, is only logged.
    await sampler.stop().catch((stopError: unknown) => log(`sampler: ${String(stopError)}`));
    throw error;
  }
  const samples = await sampler.stop();

  const run: PeakShavingRun = {
    scenario: settings.scenario,
    tool: load.tool,
    saleId: sale.saleId,
    startedAt: startedAt.toISOString(),
    intervalMs: 1_000,
    samples,
    load: load.figures,
    books: { drained: books.drained, drainMs: books.drainMs, violations: books.violations },
  };
  await mkdir(options.resultsDir, { recursive: true });
  const runPath = path.join(options.resultsDir, `${settings.scenario}-${stamp(startedAt)}.json`);
  await writeFile(runPath, `${JSON.stringify(run, null, 2)}\n`);
  const report = await renderReportFiles(runPath, { png: options.png });
  if (report.pngSkipped) log(report.pngSkipped);

  const failures = [...load.failures, ...books.violations.map((violation) => `books: ${violation}`)];
  return { run, runPath, reportPath: report.htmlPath, books, checkout: load.checkout, failures };
}

function chooseK6(driver: DriverChoice, log: (line: string) => void): string | undefined {
  if (driver === 'node') return undefined;
  const k6 = findK6();
  if (k6) return k6;
  if (driver === 'k6') throw new Error(K6_INSTALL_HINT);
  log(
    `${K6_INSTALL_HINT}\nMeasuring the same scenario shape with the Node driver (an arrival-rate generator on undici) instead.`,
  );
  return undefined;
}

async function loadWithK6(k6: string, options: ScenarioRunOptions, saleId: string): Promise<LoadOutcome> {
  const { settings, stack } = options;
  const script = K6_SCRIPTS[settings.scenario];
  const summaryPath = path.join(options.resultsDir, `${path.basename(script, '.ts')}-k6-summary.json`);
  await mkdir(options.resultsDir, { recursive: true });
  const env: Record<string, string> = {
    ...k6Knobs(options.env ?? process.env),
    ORDER_URL: stack.orderUrl,
    INVENTORY_URL: stack.inventoryUrl,
    SALE_ID: saleId,
    RESULTS_DIR: options.resultsDir,
  };
  const exitCode = await runK6({ k6, script, env, cwd: REPO_ROOT });
  const figures = await readK6Figures(summaryPath);
  const failures = exitCode === 0 ? [] : [`k6 exited with ${exitCode} (99: a threshold failed)`];
  return { figures, tool: 'k6', failures };
}

/** The scenario knobs k6 reads from its environment, passed on as they are. */
function k6Knobs(env: NodeJS.ProcessEnv): Record<string, string> {
  const names = [
    'STOCK',
    'PER_USER_LIMIT',
    'USERS',
    'REPEAT_BUYER_RATIO',
    'PEAK_RATE',
    'RAMP',
    'HOLD',
    'RATE',
    'DURATION',
    'BUYERS',
    'VUS',
    'PAY_RATIO',
    'TICKET_DEADLINE',
    'CLOSE_WAIT',
    'PRE_ALLOCATED_VUS',
    'MAX_VUS',
  ];
  return Object.fromEntries(names.flatMap((name) => (env[name] ? [[name, env[name]]] : [])));
}

async function loadWithNodeDriver(
  options: ScenarioRunOptions,
  saleId: string,
  startedAt: Date,
  log: (line: string) => void,
): Promise<LoadOutcome> {
  const { settings, stack } = options;
  const runTag = `${settings.scenario}-${stamp(startedAt)}`;
  const tool = `node driver (undici ${undiciVersion()})`;
  if (settings.scenario === 'checkout') {
    const checkout = await runCheckout({
      orderUrl: stack.orderUrl,
      saleId,
      buyers: settings.buyers,
      concurrency: settings.vus,
      payRatio: settings.payRatio,
      ticketTimeoutMs: settings.ticketDeadlineSeconds * 1000,
      runTag,
      onProgress: log,
    });
    const failures = unexpectedStatuses(checkout.load, new Set([200, 202, 409, 429]));
    if (checkout.timedOut > 0) failures.push(`${checkout.timedOut} winners never saw their order in time`);
    return { figures: checkout.load, tool: `node driver (fetch)`, checkout, failures };
  }
  const stages =
    settings.scenario === 'spike'
      ? spikeStages({
          startRate: settings.startRate,
          peakRate: settings.peakRate,
          rampSeconds: settings.rampSeconds,
          holdSeconds: settings.holdSeconds,
        })
      : sustainedStages(settings.rate, settings.seconds);
  const { figures, dropped } = await runPurchaseLoad({
    orderUrl: stack.orderUrl,
    saleId,
    stages,
    buyers: new BuyerPool(settings.users, settings.repeatBuyerRatio, runTag),
    connections: options.connections,
    onStage: log,
  });
  const failures = unexpectedStatuses(figures, EXPECTED_PURCHASE_STATUSES);
  if (dropped > 0) failures.push(`${dropped} arrivals dropped: the generator ran out of in-flight room`);
  if (figures.latencyMs.p99 >= PURCHASE_P99_GOAL_MS) {
    failures.push(
      `threshold: purchase p99 ${figures.latencyMs.p99.toFixed(1)} ms is not under ${PURCHASE_P99_GOAL_MS} ms`,
    );
  }
  return { figures, tool, failures };
}

function unexpectedStatuses(figures: LoadFigures, expected: ReadonlySet<number>): string[] {
  return Object.entries(figures.statusCounts)
    .filter(([status]) => !expected.has(Number(status)))
    .map(([status, count]) => `${count} answers with status ${status}`);
}

function undiciVersion(): string {
  const manifest = readFileSync(require.resolve('undici/package.json'), 'utf8');
  return (JSON.parse(manifest) as { version: string }).version;
}

function stamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
}
