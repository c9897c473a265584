/**
 * Parameters of the k6 flash-sale scenarios, read from `__ENV` (`k6 run -e NAME=value` or the shell).
 *
 * The defaults fit a 2-core laptop that runs the broker, the three services, PostgreSQL, Redis and k6
 * at once: the rates are far above what the order database could take row by row (that is the point of
 * the Redis gate and the request topic: peak shaving), but low enough that k6 itself keeps up.
 *
 * Every value is checked here, in the init context, so a typo fails the run before the first request
 * instead of producing a test that measures the wrong thing.
 */

function raw(name: string): string | undefined {
  const value = __ENV[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

export function envString(name: string, fallback: string): string {
  return raw(name) ?? fallback;
}

export function envInt(name: string, fallback: number, min: number, max: number): number {
  const text = raw(name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer from ${min} to ${max}, got "${text}"`);
  }
  return value;
}

/** A probability: REPEAT_BUYER_RATIO, PAY_RATIO. */
export function envRatio(name: string, fallback: number): number {
  const text = raw(name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || value > 1) {
    throw new Error(`${name} must be a number from 0 to 1, got "${text}"`);
  }
  return value;
}

export interface Duration {
  /** As k6 options take it, e.g. `1m30s`. */
  text: string;
  seconds: number;
}

const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };

/** k6 durations (`500ms`, `20s`, `1m30s`); we need the seconds too, to size stock and timeouts. */
export function parseDuration(name: string, text: string): Duration {
  const part = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
  if (!/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(text)) {
    throw new Error(`${name} must be a duration such as 500ms, 20s or 1m30s, got "${text}"`);
  }
  let seconds = 0;
  for (let match = part.exec(text); match !== null; match = part.exec(text)) {
    seconds += Number(match[1]) * UNIT_SECONDS[match[2]];
  }
  if (seconds <= 0) throw new Error(`${name} must be longer than zero, got "${text}"`);
  return { text, seconds };
}

export function envDuration(name: string, fallback: string): Duration {
  return parseDuration(name, raw(name) ?? fallback);
}

function envUrl(name: string, fallback: string): string {
  const url = envString(name, fallback).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+/.test(url)) throw new Error(`${name} must be an http(s) URL, got "${url}"`);
  return url;
}

/** What every scenario needs: where the services are, which sale, and how buyers behave. */
export interface CommonConfig {
  orderUrl: string;
  inventoryUrl: string;
  /** Use this sale instead of creating a product and a sale in setup(). */
  saleId: string | undefined;
  perUserLimit: number;
  repeatBuyerRatio: number;
  resultsDir: string;
}

/** The DTO limit of `POST /sales` (quantity). */
const MAX_STOCK = 10_000_000;

export function commonConfig(): CommonConfig {
  const saleId = raw('SALE_ID');
  if (
    saleId !== undefined &&
    !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(saleId)
  ) {
    throw new Error(`SALE_ID must be the UUID of an existing sale, got "${saleId}"`);
  }
  return {
    orderUrl: envUrl('ORDER_URL', 'http://127.0.0.1:3001'),
    inventoryUrl: envUrl('INVENTORY_URL', 'http://127.0.0.1:3002'),
    saleId,
    perUserLimit: envInt('PER_USER_LIMIT', 1, 1, 100),
    repeatBuyerRatio: envRatio('REPEAT_BUYER_RATIO', 0.1),
    resultsDir: envString('RESULTS_DIR', 'load-tests/results').replace(/\/+$/, ''),
  };
}

export interface ArrivalRateVus {
  preAllocatedVUs: number;
  maxVUs: number;
}

/**
 * Arrival-rate executors start an iteration on schedule whether or not the last one finished, so the VU
 * pool must cover rate × latency. A pool sized for 50 ms per request (the p99 goal) is ready at start;
 * the ceiling allows four times that before k6 starts dropping iterations (`dropped_iterations`).
 */
export function arrivalRateVus(rate: number): ArrivalRateVus {
  const preAllocatedVUs = envInt('PRE_ALLOCATED_VUS', Math.max(20, Math.ceil(rate / 20)), 1, 100_000);
  const maxVUs = envInt('MAX_VUS', preAllocatedVUs * 4, 1, 100_000);
  if (maxVUs < preAllocatedVUs) throw new Error(`MAX_VUS (${maxVUs}) must be ≥ PRE_ALLOCATED_VUS`);
  return { preAllocatedVUs, maxVUs };
}

export interface SpikeConfig extends CommonConfig {
  stock: number;
  users: number;
  peakRate: number;
  ramp: Duration;
  hold: Duration;
}

/** A sale opens: from nearly nobody to PEAK_RATE within RAMP, held for HOLD, far more buyers than units. */
export function spikeConfig(): SpikeConfig {
  return {
    ...commonConfig(),
    stock: envInt('STOCK', 500, 1, MAX_STOCK),
    users: envInt('USERS', 20_000, 1, 100_000_000),
    peakRate: envInt('PEAK_RATE', 3000, 1, 1_000_000),
    ramp: envDuration('RAMP', '5s'),
    hold: envDuration('HOLD', '20s'),
  };
}

export interface SustainedConfig extends CommonConfig {
  stock: number;
  users: number;
  rate: number;
  duration: Duration;
}

/**
 * A long, steady overload. By default every iteration is a new buyer (USERS = RATE × DURATION, apart
 * from the REPEAT_BUYER_RATIO repeats) and the stock is SUSTAINED_STOCK: for the first second or two
 * about RATE × (1 − REPEAT_BUYER_RATIO) purchases a second are admitted, each one a request message,
 * many times what the order consumer writes to PostgreSQL (PURCHASE_ORDERS_PER_SECOND, 50 by
 * default); the backlog on the request topic grows, then drains at the consumer's pace for most of the
 * run while the gate keeps answering SOLD_OUT at the full rate. Both phases must keep the edge latency
 * flat. A stock of 2,500 drains in about 50 s at the default pace, within the run; raise STOCK with the
 * pace on a bigger machine to keep admitting longer.
 */
export const SUSTAINED_STOCK = 2_500;

export function sustainedConfig(): SustainedConfig {
  const rate = envInt('RATE', 2000, 1, 1_000_000);
  const duration = envDuration('DURATION', '60s');
  const requests = Math.ceil(rate * duration.seconds);
  return {
    ...commonConfig(),
    rate,
    duration,
    users: envInt('USERS', requests, 1, 100_000_000),
    stock: envInt('STOCK', SUSTAINED_STOCK, 1, MAX_STOCK),
  };
}

export interface CheckoutConfig extends CommonConfig {
  stock: number;
  buyers: number;
  vus: number;
  payRatio: number;
  ticketDeadline: Duration;
  /** Wait in teardown() until the unpaid orders are closed; undefined: do not wait. */
  closeWait: Duration | undefined;
}

/** Winners go on: poll the ticket into an order, pay some, leave the rest to the delayed close. */
export function checkoutConfig(): CheckoutConfig {
  const closeWait = raw('CLOSE_WAIT');
  const buyers = envInt('BUYERS', 200, 1, 10_000_000);
  return {
    ...commonConfig(),
    stock: envInt('STOCK', 500, 1, MAX_STOCK),
    buyers,
    // shared-iterations refuses more VUs than iterations; a VU without a buyer would idle anyway.
    vus: Math.min(buyers, envInt('VUS', 20, 1, 10_000)),
    payRatio: envRatio('PAY_RATIO', 0.5),
    ticketDeadline: envDuration('TICKET_DEADLINE', '30s'),
    closeWait: closeWait === undefined ? undefined : parseDuration('CLOSE_WAIT', closeWait),
  };
}
