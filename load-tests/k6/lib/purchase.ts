/**
 * One purchase attempt against the Redis gate (`POST /sales/:id/purchases`, flow 1 of DESIGN §4).
 *
 * Every answer must come from Redis alone: 202 with a ticket (admitted; a request message is on the
 * broker and the order consumer will write the order at the pace PostgreSQL takes), 409 (SOLD_OUT or
 * ALREADY_BOUGHT, decided atomically by one Lua script) or 429 (the per-user rate limit). A 5xx or a
 * timeout means the spike reached something that could not absorb it, which is exactly what peak
 * shaving is meant to prevent, so the scenarios hold those to zero.
 *
 * Winners and losers are counted apart because the interesting numbers are different: accepted must
 * never exceed the sale quantity (no oversell), and the losers show how fast the gate says no.
 */
import { check } from 'k6';
import http from 'k6/http';
import { Counter, Rate } from 'k6/metrics';
import { jsonBody, stringField } from './json.ts';

/**
 * The check the scenarios' thresholds select with `checks{check:...}`. They write the key out in full,
 * so it reads (for people and for the Jest spec) without running k6; the spec keeps the two equal.
 */
export const PURCHASE_STATUS_CHECK = 'purchase status is 202/409/429';
export const PURCHASE_NO_5XX_CHECK = 'purchase got an answer, not a 5xx';

/** The `name` tag: thresholds and the summary single out purchases from setup and polling requests. */
export const PURCHASE_REQUEST_NAME = 'purchase';

const accepted = new Counter('purchase_accepted');
const soldOut = new Counter('purchase_sold_out');
const alreadyBought = new Counter('purchase_already_bought');
const rateLimited = new Counter('purchase_rate_limited');
/**
 * Anything but 202-with-ticket, 409 SOLD_OUT/ALREADY_BOUGHT or 429: a 5xx, a timeout, an unreadable
 * body, or a 409 NOT_STARTED/ENDED (then the sale window is wrong and the run measured nothing).
 */
const unexpected = new Rate('purchase_unexpected_status');

/**
 * 409 and 429 are the gate doing its job. Marking them expected keeps `http_req_failed` for real
 * failures. Set per request rather than with http.setResponseCallback(), which would apply to setup()'s
 * 201s and to the checkout's ticket polls as well and turn those into failures.
 */
const PURCHASE_ANSWERS = http.expectedStatuses(202, 409, 429);

const JSON_HEADERS = { 'Content-Type': 'application/json' };

export type PurchaseOutcome =
  | { kind: 'accepted'; ticket: string }
  | { kind: 'sold_out' | 'already_bought' | 'rate_limited' }
  | { kind: 'unexpected'; status: number; detail: string };

function classify(status: number, code: string | undefined, ticket: string | undefined): PurchaseOutcome {
  if (status === 202 && ticket !== undefined) return { kind: 'accepted', ticket };
  if (status === 409 && code === 'SOLD_OUT') return { kind: 'sold_out' };
  if (status === 409 && code === 'ALREADY_BOUGHT') return { kind: 'already_bought' };
  if (status === 429) return { kind: 'rate_limited' };
  return { kind: 'unexpected', status, detail: code ?? (status === 202 ? 'no ticket' : 'no code') };
}

export function purchase(orderUrl: string, saleId: string, userId: string): PurchaseOutcome {
  const res = http.post(`${orderUrl}/sales/${saleId}/purchases`, JSON.stringify({ userId, quantity: 1 }), {
    headers: JSON_HEADERS,
    tags: { name: PURCHASE_REQUEST_NAME },
    responseCallback: PURCHASE_ANSWERS,
    // The gate answers in milliseconds; a purchase still open after this is a failure, and letting it
    // hang would only tie up VUs the arrival-rate executor needs for the next iterations.
    timeout: '10s',
  });

  check(res, {
    [PURCHASE_STATUS_CHECK]: (r) => r.status === 202 || r.status === 409 || r.status === 429,
    [PURCHASE_NO_5XX_CHECK]: (r) => r.status > 0 && r.status < 500,
  });

  const body = jsonBody(res);
  const outcome = classify(res.status, stringField(body, 'code'), stringField(body, 'ticket'));
  unexpected.add(outcome.kind === 'unexpected');
  switch (outcome.kind) {
    case 'accepted':
      accepted.add(1);
      break;
    case 'sold_out':
      soldOut.add(1);
      break;
    case 'already_bought':
      alreadyBought.add(1);
      break;
    case 'rate_limited':
      rateLimited.add(1);
      break;
  }
  return outcome;
}
