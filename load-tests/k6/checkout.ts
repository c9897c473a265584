/**
 * The winners' side of the sale: buy, wait for the order, pay or walk away.
 *
 * What it exercises, in the order a buyer meets it:
 * - the 202 ticket is only a promise: the request message waits on the broker until the order consumer
 *   writes the order as a transactional message (half message, local transaction, commit), so the
 *   ticket is polled (`GET /tickets/:ticket`) until it is CREATED with an order id, or FAILED when
 *   inventory could not deduct the stock. The time from 202 to CREATED is the price of peak shaving
 *   a buyer actually pays; it is a Trend with its own threshold.
 * - PAY_RATIO of the buyers pay (`POST /orders/:id/pay`, 200 with status PAID); the others leave their
 *   order to the delayed close message (flow 3), which closes it and gives the unit back to the sale.
 *   The default close delay is 30 minutes, so to see it start the stack with a short one,
 *   `ORDER_CLOSE_DELAY_MS=10000 npm start`, and pass CLOSE_WAIT=40s: teardown() then waits until the
 *   sale has no open (CREATED) order left.
 *
 * A fixed number of buyers shared by a few VUs, not an arrival rate: this scenario is about every
 * winner's journey completing, not about the edge under overload (the spike and sustained runs are).
 *
 *   ORDER_CLOSE_DELAY_MS=10000 npm start
 *   CLOSE_WAIT=40s k6 run load-tests/k6/checkout.ts
 */
import { check, sleep } from 'k6';
import http from 'k6/http';
import { Counter, Rate, Trend } from 'k6/metrics';
import type { Options } from 'k6/options';
import { distinctBuyer } from './lib/buyers.ts';
import { checkoutConfig } from './lib/config.ts';
import { asObject, jsonBody, stringField } from './lib/json.ts';
import { purchase } from './lib/purchase.ts';
import { type SaleSetup, setUpSale } from './lib/sale.ts';
import { summaryHandler } from './lib/summary.ts';

const config = checkoutConfig();

const ticketToOrder = new Trend('checkout_ticket_to_order', true);
/** Per admitted buyer: true when the journey broke (no order in time, FAILED, or payment refused). */
const journeyFailed = new Rate('checkout_failed');
const ticketTimeouts = new Counter('checkout_ticket_timeouts');
const ticketsFailed = new Counter('checkout_ticket_failed');
const paid = new Counter('checkout_paid');
const paidTooLate = new Counter('checkout_pay_too_late');
const leftUnpaid = new Counter('checkout_left_unpaid');

/** Often enough to measure ticket-to-order in tenths of a second, rarely enough not to load the table. */
const POLL_INTERVAL_S = 0.2;
/** A pay answered 409 ORDER_CLOSED lost the race to the close message: a correct outcome, not a failure. */
const PAY_ANSWERS = http.expectedStatuses(200, 409);

export const options: Options = {
  scenarios: {
    checkout: {
      executor: 'shared-iterations',
      vus: config.vus,
      iterations: config.buyers,
      maxDuration: '10m',
    },
  },
  thresholds: {
    'checks{check:purchase status is 202/409/429}': ['rate==1'],
    'http_req_duration{name:purchase}': ['p(99)<50'],
    http_req_failed: ['rate==0'],
    purchase_unexpected_status: ['rate==0'],
    checkout_ticket_to_order: ['p(95)<2000'],
    checkout_failed: ['rate==0'],
    checks: ['rate==1'],
  },
  summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'count'],
  // teardown() may wait CLOSE_WAIT for the close messages, plus time for its own requests.
  teardownTimeout: `${Math.ceil((config.closeWait?.seconds ?? 0) + 60)}s`,
};

export function setup(): SaleSetup {
  return setUpSale(config, 'checkout', config.stock);
}

/** The order id once the consumer has written the order; null when it failed or took too long. */
function waitForOrder(ticket: string): string | null {
  const admittedAt = Date.now();
  const deadline = admittedAt + config.ticketDeadline.seconds * 1000;
  for (;;) {
    const res = http.get(`${config.orderUrl}/tickets/${ticket}`, { tags: { name: 'ticket' } });
    check(res, { 'ticket poll answered 200': (r) => r.status === 200 });
    const body = jsonBody(res);
    const status = stringField(body, 'status');
    const orderId = stringField(body, 'orderId');
    if (res.status === 200 && status === 'CREATED' && orderId !== undefined) {
      ticketToOrder.add(Date.now() - admittedAt);
      return orderId;
    }
    if (res.status === 200 && status === 'FAILED') {
      ticketsFailed.add(1);
      return null;
    }
    if (Date.now() >= deadline) {
      ticketTimeouts.add(1);
      return null;
    }
    sleep(POLL_INTERVAL_S);
  }
}

type PayResult = 'paid' | 'too_late' | 'error';

function pay(orderId: string): PayResult {
  // 503 STATUS_NOT_PUBLISHED means the payment is recorded but its status message was not sent; the
  // API asks the client to repeat (paying a PAID order is idempotent) so the notification goes out.
  for (let attempt = 1; attempt <= 3; attempt++) {
    const res = http.post(`${config.orderUrl}/orders/${orderId}/pay`, null, {
      tags: { name: 'pay' },
      responseCallback: PAY_ANSWERS,
    });
    const body = jsonBody(res);
    if (res.status === 200 && stringField(body, 'status') === 'PAID') return 'paid';
    if (res.status === 409 && stringField(body, 'code') === 'ORDER_CLOSED') return 'too_late';
    if (res.status !== 503) return 'error';
    sleep(0.5);
  }
  return 'error';
}

export default function (sale: SaleSetup): void {
  const buyer = distinctBuyer(sale.runId);
  const outcome = purchase(config.orderUrl, sale.saleId, buyer.userId);
  // Losers (sold out once BUYERS exceeds STOCK) end here; unexpected answers are counted by purchase().
  if (outcome.kind !== 'accepted') return;

  const orderId = waitForOrder(outcome.ticket);
  if (orderId === null) {
    journeyFailed.add(true);
    return;
  }

  if (Math.random() >= config.payRatio) {
    leftUnpaid.add(1);
    journeyFailed.add(false);
    return;
  }

  const result = pay(orderId);
  check(result, { 'order paid, or closed before the payment': (r) => r !== 'error' });
  if (result === 'paid') paid.add(1);
  if (result === 'too_late') paidTooLate.add(1);
  journeyFailed.add(result === 'error');
}

/** With CLOSE_WAIT set: every order nobody paid must be closed by its delay message within that time. */
export function teardown(sale: SaleSetup): void {
  if (config.closeWait === undefined) return;
  const deadline = Date.now() + config.closeWait.seconds * 1000;
  let open: number | undefined;
  for (;;) {
    const res = http.get(`${config.orderUrl}/sales/${sale.saleId}`, { tags: { name: 'get sale' } });
    const created = asObject(jsonBody(res)?.orders)?.created;
    open = typeof created === 'number' ? created : undefined;
    if (open === 0 || Date.now() >= deadline) break;
    sleep(1);
  }
  check(open, { 'every unpaid order closed by its delay message': (n) => n === 0 });
}

export const handleSummary = summaryHandler('checkout', config.resultsDir);
