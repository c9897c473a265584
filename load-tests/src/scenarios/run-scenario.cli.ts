/**
 * `npm run load:spike | load:sustained | load:checkout`: one scenario against the running stack (see
 * scenario-run.ts), then a verdict. Exits 0 when every expectation held, 1 listing what failed, 2 when
 * the run could not happen (no stack, bad settings, k6 asked for but missing).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { printBooksReport } from '../books/check-books.cli';
import { STACK_OPTIONS, STACK_OPTIONS_HELP, stackOverridesOf } from '../stack/stack-options';
import { resolveStackTarget } from '../stack/stack-target';
import { SCENARIO_NAMES, type ScenarioName, scenarioSettings } from './scenario-config';
import { type DriverChoice, runScenario, type ScenarioResult } from './scenario-run';

const HELP = `Usage: npm run load:<spike|sustained|checkout> -- [options]

Runs the scenario against the running stack (npm start), then the books-balance check, then writes
load-tests/results/<scenario>-<time>.json and the peak-shaving report (.html, and .png with --png).

  --driver auto|k6|node  k6 when installed (default auto), else the Node driver (undici)
  --connections N        keep-alive connections of the Node driver (default 100)
  --drain-timeout S      how long to wait for the queues to drain (default 180)
  --results DIR          where results go (default load-tests/results)
  --png                  also render the report as PNG (needs Chromium)

Scenario knobs are environment variables, the same for k6 and the Node driver (defaults suit a
2-core laptop): STOCK PER_USER_LIMIT USERS REPEAT_BUYER_RATIO; spike: PEAK_RATE(3000) RAMP(5s)
HOLD(20s); sustained: RATE(2000) DURATION(60s); checkout: BUYERS(200) VUS(20) PAY_RATIO(0.5)
TICKET_DEADLINE(30s). Example: PEAK_RATE=5000 npm run load:spike

${STACK_OPTIONS_HELP}`;

class UsageError extends Error {}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      driver: { type: 'string', default: 'auto' },
      connections: { type: 'string', default: '100' },
      'drain-timeout': { type: 'string', default: '180' },
      results: { type: 'string', default: path.resolve(__dirname, '../../results') },
      png: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
      ...STACK_OPTIONS,
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const scenario = positionals[0] as ScenarioName;
  if (!SCENARIO_NAMES.includes(scenario))
    throw new UsageError(`which scenario? one of ${SCENARIO_NAMES.join(', ')}`);
  if (!['auto', 'k6', 'node'].includes(values.driver))
    throw new UsageError(`--driver must be auto, k6 or node`);

  const result = await runScenario({
    settings: scenarioSettings(scenario),
    stack: resolveStackTarget(stackOverridesOf(values)),
    driver: values.driver as DriverChoice,
    connections: positiveInt(values.connections),
    drainTimeoutMs: positiveInt(values['drain-timeout']) * 1000,
    resultsDir: path.resolve(values.results),
    png: values.png,
  });
  printVerdict(result);
  return result.failures.length === 0 ? 0 : 1;
}

function printVerdict({ run, books, checkout, failures, runPath, reportPath }: ScenarioResult): void {
  const load = run.load!;
  console.log(`\n== ${run.scenario} (${run.tool}), sale ${run.saleId}`);
  console.log(
    `load: ${load.requests} requests in ${load.durationSec.toFixed(1)} s = ${load.requestsPerSec.toFixed(0)} req/s; ` +
      `latency ms p50 ${load.latencyMs.p50.toFixed(2)} p90 ${load.latencyMs.p90.toFixed(2)} ` +
      `p99 ${load.latencyMs.p99.toFixed(2)} max ${load.latencyMs.max.toFixed(1)}; statuses ${JSON.stringify(load.statusCounts)}`,
  );
  if (load.phases) {
    for (const [name, phase] of Object.entries(load.phases)) {
      console.log(
        `  ${name.padEnd(8)} ${phase.answers} answers in ${phase.durationSec.toFixed(1)} s = ` +
          `${phase.answersPerSec.toFixed(0)}/s; latency ms p50 ${phase.latencyMs.p50.toFixed(2)} ` +
          `p99 ${phase.latencyMs.p99.toFixed(2)} max ${phase.latencyMs.max.toFixed(1)}`,
      );
    }
  }
  if (checkout) {
    console.log(
      `checkout: ${checkout.winners} winners, ${checkout.paid} paid, ${checkout.leftUnpaid} left to the delayed close, ` +
        `${checkout.failedTickets} failed; ticket → order ms p50 ${checkout.ticketToOrderMs.p50} p99 ${checkout.ticketToOrderMs.p99}`,
    );
  }
  printBooksReport(books);
  console.log(`run:    ${runPath}\nreport: ${reportPath}`);
  if (failures.length === 0) {
    console.log('verdict: PASS');
    return;
  }
  console.log(`verdict: FAIL (${failures.length})`);
  for (const failure of failures) console.log(`  - ${failure}`);
}

function positiveInt(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) throw new UsageError(`not a positive integer: ${text}`);
  return value;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`load: ${error instanceof Error ? error.message : String(error)}`);
      if (error instanceof UsageError) console.error(`\n${HELP}`);
      process.exit(2);
    },
  );
}
