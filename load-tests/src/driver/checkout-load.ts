/**
 * The Node driver of the checkout scenario: buyers who won go on to the order. Each buyer purchases
 * once, polls GET /tickets/:ticket until the order exists (the purchase consumer has written it), then
 * pays it with probability `payRatio`; the others are left for the delayed close message
 * (ORDER_CLOSE_DELAY_MS) to close and give their stock back.
 *
 * Interview: "订单超时未支付怎么关闭？" (how are unpaid orders closed?) — by a delay message sent when the
 * order is created, not by a job scanning the table.
 */
import type { LoadFigures } from '../shaping/peak-shaving-run';
import { LoadRecorder, percentile } from './load-recorder';

export interface CheckoutOptions {
  orderUrl: string;
  saleId: string;
  /** Distinct buyers, each trying once. */
  buyers: number;
  /** Buyers in flight at once. */
  concurrency: number;
  /** Share (0..1) of winners who pay. */
  payRatio: number;
  /** How long a winner waits for its order before the attempt counts as failed. */
  ticketTimeoutMs: number;
  runTag: string;
  onProgress?: (line: string) => void;
}

export interface CheckoutFigures {
  load: LoadFigures;
  winners: number;
  paid: number;
  leftUnpaid: number;
  /** Tickets that ended FAILED (stock deduction refused) or never got an order in time. */
  failedTickets: number;
  timedOut: number;
  /** Buyers who gave up because a request got no answer at all. */
  errors: number;
  /** From the 202 to the ticket showing the order. */
  ticketToOrderMs: { p50: number; p99: number; max: number };
}

/** ERROR: a request got no answer (recorded as `error` in the load figures); the buyer gives up. */
type Outcome = 'LOST' | 'PAID' | 'UNPAID' | 'FAILED' | 'TIMED_OUT' | 'ERROR';

export async function runCheckout(options: CheckoutOptions): Promise<CheckoutFigures> {
  const recorder = new LoadRecorder();
  const waits: number[] = [];
  const outcomes: Record<Outcome, number> = {
    LOST: 0,
    PAID: 0,
    UNPAID: 0,
    FAILED: 0,
    TIMED_OUT: 0,
    ERROR: 0,
  };
  let nextBuyer = 0;
  const buyer = async (): Promise<void> => {
    while (nextBuyer < options.buyers) {
      const userId = `${options.runTag}-buyer-${nextBuyer++}`;
      outcomes[await checkout(options, userId, recorder, waits).catch((): Outcome => 'ERROR')]++;
      if (nextBuyer % 500 === 0)
        options.onProgress?.(`checkout: ${nextBuyer} buyers done ${JSON.stringify(outcomes)}`);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, buyer));
  const sortedWaits = waits.sort((a, b) => a - b);
  return {
    load: recorder.finish(),
    winners: outcomes.PAID + outcomes.UNPAID + outcomes.FAILED + outcomes.TIMED_OUT,
    paid: outcomes.PAID,
    leftUnpaid: outcomes.UNPAID,
    failedTickets: outcomes.FAILED + outcomes.TIMED_OUT,
    timedOut: outcomes.TIMED_OUT,
    errors: outcomes.ERROR,
    ticketToOrderMs: {
      p50: percentile(sortedWaits, 0.5),
      p99: percentile(sortedWaits, 0.99),
      max: sortedWaits.at(-1) ?? 0,
    },
  };
}

async function checkout(
  options: CheckoutOptions,
  userId: string,
  recorder: LoadRecorder,
  waits: number[],
): Promise<Outcome> {
  const purchase = await request(recorder, 'POST', `${options.orderUrl}/sales/${options.saleId}/purchases`, {
    userId,
    quantity: 1,
  });
  if (purchase.status !== 202) return 'LOST';
  const admittedAt = Date.now();
  const { ticket } = purchase.body as { ticket: string };
  for (;;) {
    const answer = await request(recorder, 'GET', `${options.orderUrl}/tickets/${ticket}`);
    const state = answer.body as { status?: string; orderId?: string };
    if (state.status === 'FAILED') return 'FAILED';
    if (state.status === 'CREATED' && state.orderId) {
      waits.push(Date.now() - admittedAt);
      if (Math.random() >= options.payRatio) return 'UNPAID';
      const paid = await request(recorder, 'POST', `${options.orderUrl}/orders/${state.orderId}/pay`);
      return paid.status === 200 ? 'PAID' : 'FAILED';
    }
    if (Date.now() - admittedAt > options.ticketTimeoutMs) return 'TIMED_OUT';
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function request(
  recorder: LoadRecorder,
  method: string,
  url: string,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  const started = performance.now();
  try {
    const response = await fetch(url, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    recorder.record(response.status, performance.now() - started);
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  } catch (error) {
    recorder.record('error', performance.now() - started);
    throw error;
  }
}
