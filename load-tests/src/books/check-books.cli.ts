/**
 * `npm run load:check -- --sale <id>`: after a load test, wait for the queues to drain and prove the
 * books of the sale balance (books-rules.ts). Exits 0 when they do, 1 listing every violation, 2 when
 * it could not check at all (bad arguments, stack not found).
 */
import { parseArgs } from 'node:util';
import { STACK_OPTIONS, STACK_OPTIONS_HELP, stackOverridesOf } from '../stack/stack-options';
import { booksTargetOf, resolveStackTarget } from '../stack/stack-target';
import type { BooksReport } from './books';
import { checkBooksBalance } from './books-balance';

const HELP = `Usage: npm run load:check -- --sale <saleId> [options]

  --sale ID             the sale to check (required)
  --initial-stock N     the product's stock before the sale: also check the stock of record
  --timeout S           give up waiting for the queues to drain after S seconds (default 120)
  --quiet S             nothing may change for S seconds to count as drained (default 3)
  --json                print the report as JSON

${STACK_OPTIONS_HELP}`;

export function printBooksReport(report: BooksReport, log: (line: string) => void = console.log): void {
  const state = report.drained ? `drained in ${(report.drainMs / 1000).toFixed(1)} s` : 'did NOT drain';
  log(`books: queues ${state}`);
  log(`books: ${JSON.stringify(report.figures)}`);
  if (report.violations.length === 0) {
    log('books: BALANCED — no oversell, every unit accounted for');
    return;
  }
  log(`books: ${report.violations.length} violation(s):`);
  for (const violation of report.violations) log(`  - ${violation}`);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      sale: { type: 'string' },
      'initial-stock': { type: 'string' },
      timeout: { type: 'string', default: '120' },
      quiet: { type: 'string', default: '3' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
      ...STACK_OPTIONS,
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (!values.sale) throw new UsageError('--sale <saleId> is required');
  const initialStock = values['initial-stock'] === undefined ? undefined : count(values['initial-stock']);
  const stack = resolveStackTarget(stackOverridesOf(values));
  const report = await checkBooksBalance(booksTargetOf(stack, values.sale, initialStock), {
    timeoutMs: count(values.timeout) * 1000,
    quietMs: count(values.quiet) * 1000,
  });
  if (values.json) console.log(JSON.stringify(report, null, 2));
  else printBooksReport(report);
  return report.violations.length === 0 ? 0 : 1;
}

class UsageError extends Error {}

function count(text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw new UsageError(`not a number: ${text}`);
  return value;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`load:check: ${error instanceof Error ? error.message : String(error)}`);
      if (error instanceof UsageError) console.error(`\n${HELP}`);
      process.exit(2);
    },
  );
}
