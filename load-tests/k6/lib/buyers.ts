/**
 * Who buys in this iteration. A flash sale is many distinct people each trying once, plus some who
 * try again (a refresh, a double click, a script). The distinct ones exercise the stock check of the
 * Redis gate: the first `quantity` of them win, the rest get SOLD_OUT. The repeats exercise the
 * per-user limit, which the same Lua script checks atomically with the stock: a winner who comes back
 * must get ALREADY_BOUGHT, never a second unit, however close together the two attempts arrive.
 *
 * The iteration number comes from k6/execution rather than a per-VU counter: `iterationInTest` is
 * unique across all VUs (and k6 instances), so user n is the same person whichever VU happens to run it.
 */
import exec from 'k6/execution';
import { Counter } from 'k6/metrics';

const repeatAttempts = new Counter('buyer_repeat_attempts');

export interface Buyer {
  userId: string;
  /** True when this is an earlier buyer coming back. */
  repeat: boolean;
}

/** The purchase API takes 1-64 of letters, digits and `_.:@-`. */
function userName(runId: string, index: number): string {
  return `k6-${runId}-u${index}`;
}

/**
 * Iteration n is buyer n (modulo `users`, the size of the crowd: past it everybody is coming back),
 * except that with probability `repeatRatio` it is one of the buyers already seen.
 */
export function chooseBuyer(runId: string, users: number, repeatRatio: number): Buyer {
  const n = exec.scenario.iterationInTest;
  const seen = Math.min(n, users);
  if (seen > 0 && Math.random() < repeatRatio) {
    repeatAttempts.add(1);
    return { userId: userName(runId, Math.floor(Math.random() * seen)), repeat: true };
  }
  const repeat = n >= users;
  if (repeat) repeatAttempts.add(1);
  return { userId: userName(runId, n % users), repeat };
}

/** A buyer nobody else in this run is: the checkout scenario follows each winner on its own. */
export function distinctBuyer(runId: string): Buyer {
  return { userId: userName(runId, exec.scenario.iterationInTest), repeat: false };
}
