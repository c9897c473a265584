/**
 * The books-balance checker, as anyone can run it against a stack after a load test: wait until the
 * queues have drained, then read the books (BooksReader) and judge them (judgeBooks). An empty list of
 * violations means the books balance.
 */
import type { BooksReport, BooksTarget } from './books';
import { type BooksProgress, BooksReader } from './books-reader';
import { judgeBooks } from './books-rules';

export interface DrainOptions {
  /** How long nothing may change (and nothing be pending) before the queues count as drained. */
  quietMs?: number;
  /** Give up waiting after this long; the check then runs anyway and says it did not drain. */
  timeoutMs?: number;
  pollMs?: number;
  /** Where the progress lines go (one every 5 s while draining). */
  log?: (line: string) => void;
}

/** Waits for the queues to drain, then checks the books of one sale. */
export async function checkBooksBalance(
  target: BooksTarget,
  options: DrainOptions = {},
): Promise<BooksReport> {
  const books = await BooksReader.open(target);
  try {
    const { drained, drainMs } = await waitUntilDrained(books, options);
    const { figures, violations } = judgeBooks(await books.read(), target.initialProductStock);
    if (!drained) violations.unshift(`the queues did not drain within ${drainMs} ms`);
    return { drained, drainMs, figures, violations };
  } finally {
    await books.close();
  }
}

/**
 * Drained = for `quietMs` on end, nothing the queues drive has changed, every unit the gate admitted
 * has its order (no ticket still PENDING) and, when the broker is checked, no group has a backlog.
 */
async function waitUntilDrained(
  books: BooksReader,
  { quietMs = 3_000, timeoutMs = 60_000, pollMs = 500, log = (line) => console.log(line) }: DrainOptions,
): Promise<{ drained: boolean; drainMs: number }> {
  const started = Date.now();
  let last = '';
  let quietSince = started;
  let lastLog = started;
  for (;;) {
    const progress = await books.progress();
    const now = Date.now();
    if (progress.fingerprint !== last) {
      last = progress.fingerprint;
      quietSince = now;
    }
    if (isSettled(progress) && now - quietSince >= quietMs) return { drained: true, drainMs: now - started };
    if (now - started >= timeoutMs) return { drained: false, drainMs: now - started };
    if (now - lastLog >= 5_000) {
      log(`books: draining ${((now - started) / 1000).toFixed(1)} s: ${progress.fingerprint}`);
      lastLog = now;
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

function isSettled(progress: BooksProgress): boolean {
  return progress.pendingUnits === 0 && progress.backlog === 0;
}
