/**
 * The flash sale opens: from a trickle to PEAK_RATE purchase attempts a second within RAMP, held for
 * HOLD, then down again. Far more buyers than units (USERS against STOCK), some coming back.
 *
 * What it shows: peak shaving. The spike stops at the Redis gate, whose answer does not depend on the
 * load (one Lua script per attempt); only the STOCK winners become request messages, and the order
 * consumer turns them into orders at its own pace. So the purchase latency must stay low at the peak
 * (p99 < 50 ms), every answer must be 202, 409 or 429, and nothing may fail with a 5xx.
 *
 * An arrival-rate executor rather than a fixed number of VUs: real buyers do not wait for each other's
 * answers, so the request rate must not drop when the server slows down (that would hide the slowdown).
 *
 *   k6 run load-tests/k6/flash-sale-spike.ts            (with `npm start` running; see README.md)
 */
import type { Options } from 'k6/options';
import { chooseBuyer } from './lib/buyers.ts';
import { arrivalRateVus, spikeConfig } from './lib/config.ts';
import { purchase } from './lib/purchase.ts';
import { type SaleSetup, setUpSale } from './lib/sale.ts';
import { summaryHandler } from './lib/summary.ts';

const config = spikeConfig();

export const options: Options = {
  scenarios: {
    spike: {
      executor: 'ramping-arrival-rate',
      // Nearly nobody before the sale opens; 0 would leave k6 idle until the first stage raises it.
      startRate: 10,
      timeUnit: '1s',
      ...arrivalRateVus(config.peakRate),
      stages: [
        { duration: config.ramp.text, target: config.peakRate },
        { duration: config.hold.text, target: config.peakRate },
        { duration: config.ramp.text, target: 0 },
      ],
    },
  },
  thresholds: {
    'checks{check:purchase status is 202/409/429}': ['rate==1'],
    'http_req_duration{name:purchase}': ['p(99)<50'],
    http_req_failed: ['rate==0'],
    purchase_unexpected_status: ['rate==0'],
  },
  summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'count'],
};

export function setup(): SaleSetup {
  return setUpSale(config, 'spike', config.stock);
}

export default function (sale: SaleSetup): void {
  const buyer = chooseBuyer(sale.runId, config.users, config.repeatBuyerRatio);
  purchase(config.orderUrl, sale.saleId, buyer.userId);
}

export const handleSummary = summaryHandler('flash-sale-spike', config.resultsDir);
