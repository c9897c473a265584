import { sleep, waitFor } from '@flashsale/testing';
export { sleep };

/** Polls `probe` until it returns a truthy value; rejects naming `what` after `timeoutMs`. */
export function poll<T>(what: string, probe: () => Promise<T>, timeoutMs = 30_000): Promise<NonNullable<T>> {
  return waitFor(probe, what, timeoutMs);
}

/** Runs `work` over `items` with at most `limit` calls in flight; answers in the order of `items`. */
export async function inParallel<T, R>(
  items: T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}
