/**
 * A long overload at a constant RATE for DURATION (60 s by default), well above what PostgreSQL could
 * take if every attempt were written directly.
 *
 * What it shows: the queue between the gate and the database. While stock lasts, admitted purchases
 * become request messages faster than the order consumer writes orders (at its steady
 * PURCHASE_ORDERS_PER_SECOND), so the request topic's backlog grows; once sold out it drains at the consumer's pace while
 * the gate keeps answering at the full rate. The edge must not notice either phase: latency stays flat
 * (p99 < 50 ms) and nothing fails. The stock default (2,500) and the all-distinct
 * buyers are explained in lib/config.ts (sustainedConfig); the backlog itself is visible on the broker
 * and in the wrapper's samples (`npm run load:sustained`), not from here.
 *
 * Constant arrival rate, not constant VUs: the rate must hold even when answers slow down.
 *
 *   k6 run load-tests/k6/flash-sale-sustained.ts        (with `npm start` running; see README.md)
 */
import type { Options } from 'k6/options';
import { chooseBuyer } from './lib/buyers.ts';
import { arrivalRateVus, sustainedConfig } from './lib/config.ts';
import { purchase } from './lib/purchase.ts';
import { type SaleSetup, setUpSale } from './lib/sale.ts';
import { summaryHandler } from './lib/summary.ts';

const config = sustainedConfig();

export const options: Options = {
  scenarios: {
    sustained: {
      executor: 'constant-arrival-rate',
      rate: config.rate,
      timeUnit: '1s',
      duration: config.duration.text,
      ...arrivalRateVus(config.rate),
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
  return setUpSale(config, 'sustained', config.stock);
}

export default function (sale: SaleSetup): void {
  const buyer = chooseBuyer(sale.runId, config.users, config.repeatBuyerRatio);
  purchase(config.orderUrl, sale.saleId, buyer.userId);
}

export const handleSummary = summaryHandler('flash-sale-sustained', config.resultsDir);
