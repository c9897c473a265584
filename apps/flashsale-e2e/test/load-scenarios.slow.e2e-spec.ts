/**
 * The load tests in small, as CI can run them without k6: the scenario runner of `npm run load:spike`
 * and `npm run load:checkout` with its Node driver against the real processes, then the books-balance
 * checker on the result and the peak-shaving report. This is what keeps the checker's rules, the
 * sampler and the report honest: they run against a real flash sale on every CI run.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type PeakShavingRun, runScenario, scenarioSettings } from '@flashsale/load-tests';
import { FlashSaleStack } from './support/flash-sale-stack';

const CLOSE_DELAY_MS = 3_000;

describe('the load-test scenarios against the whole system', () => {
  let stack: FlashSaleStack;
  let resultsDir: string;

  beforeAll(async () => {
    resultsDir = mkdtempSync(path.join(tmpdir(), 'load-scenarios-'));
    stack = await FlashSaleStack.start({
      // Unpaid checkout orders close within the test instead of after 30 minutes.
      order: { ORDER_CLOSE_DELAY_MS: String(CLOSE_DELAY_MS) },
    });
  }, 150_000);

  afterAll(async () => {
    rmSync(resultsDir, { recursive: true, force: true });
    await stack?.stop();
  }, 60_000);

  it('spike: one order per 202, nobody answered with an error, and the books balance', async () => {
    const env = {
      STOCK: '300',
      USERS: '1500',
      REPEAT_BUYER_RATIO: '0.2',
      PEAK_RATE: '400',
      RAMP: '2s',
      HOLD: '3s',
    };
    const result = await runScenario({
      settings: scenarioSettings('spike', env),
      stack: stack.stackTarget(),
      driver: 'node',
      resultsDir,
      drainTimeoutMs: 90_000,
      drainQuietMs: CLOSE_DELAY_MS * 2,
      log: () => undefined,
    });
    const { load, samples } = result.run;
    console.log(`spike: ${JSON.stringify(load)}; books ${JSON.stringify(result.books.figures)}`);

    // Latency is reported, not asserted: this machine runs the whole stack and Jest on two cores.
    expect(result.failures.filter((failure) => !failure.startsWith('threshold:'))).toEqual([]);
    expect(Object.keys(load!.statusCounts).sort()).toEqual(expect.arrayContaining(['202', '409']));
    // Every 202 is exactly one order. At least the stock sold; more when orders closed by their delay
    // gave units back during the spike and later buyers got them.
    const accepted = load!.statusCounts['202'];
    const orders = result.books.figures.ordersByStatus;
    expect(accepted).toBeGreaterThanOrEqual(300);
    expect((orders.CREATED ?? 0) + (orders.CLOSED ?? 0)).toBe(accepted);
    expect(result.books.figures).toMatchObject({ admittedUnits: accepted, deadLetters: 0 });
    expect(result.books.violations).toEqual([]);

    // The sampler saw what happened: its per-second rates add up to the purchases and the orders.
    const total = (rate: (sample: (typeof samples)[number]) => number) =>
      samples.reduce((sum, sample, i) => sum + rate(sample) * (sample.t - (i > 0 ? samples[i - 1].t : 0)), 0);
    expect(Math.abs(total((sample) => sample.edgeAcceptedPerSec) - accepted)).toBeLessThan(5);
    expect(Math.abs(total((sample) => sample.ordersWrittenPerSec) - accepted)).toBeLessThan(5);
    expect(Math.abs(total((sample) => sample.edgeRequestsPerSec) - load!.requests)).toBeLessThan(10);
    expect(samples.at(-1)!.backlog).toBe(0);

    // The run record and its report are on disk, and the report is the self-contained page.
    const saved = JSON.parse(readFileSync(result.runPath, 'utf8')) as PeakShavingRun;
    expect(saved.saleId).toBe(result.run.saleId);
    expect(existsSync(result.reportPath)).toBe(true);
    const html = readFileSync(result.reportPath, 'utf8');
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script|https?:\/\//);
  }, 180_000);

  it('checkout: winners get their orders, pay some, the rest close by delay and give their stock back', async () => {
    const env = { STOCK: '60', BUYERS: '100', VUS: '10', PAY_RATIO: '0.5' };
    const result = await runScenario({
      settings: scenarioSettings('checkout', env),
      stack: stack.stackTarget(),
      driver: 'node',
      resultsDir,
      drainTimeoutMs: 90_000,
      drainQuietMs: CLOSE_DELAY_MS * 2,
      log: () => undefined,
    });
    const checkout = result.checkout!;
    console.log(`checkout: ${JSON.stringify(checkout)}; books ${JSON.stringify(result.books.figures)}`);

    expect(result.failures.filter((failure) => !failure.startsWith('threshold:'))).toEqual([]);
    expect(checkout.winners).toBe(60);
    expect(checkout.failedTickets).toBe(0);
    expect(checkout.paid + checkout.leftUnpaid).toBe(60);
    expect(result.books.violations).toEqual([]);
    // Paid orders stay; every unpaid one was closed by its delay message and its unit released.
    expect(result.books.figures.ordersByStatus).toEqual({
      ...(checkout.paid > 0 ? { PAID: checkout.paid } : {}),
      ...(checkout.leftUnpaid > 0 ? { CLOSED: checkout.leftUnpaid } : {}),
    });
    expect(result.books.figures.releasedUnits).toBe(checkout.leftUnpaid);
    expect(result.books.figures.liveUnits).toBe(checkout.paid);
  }, 180_000);
});
