/**
 * The acceptance test of the flash sale as a whole (DESIGN.md §4): a spike of concurrent purchases
 * against the real processes, then "the books must balance" — Redis, the order table, inventory's
 * stock of record and notify agree, with no oversell and nobody above the per-user limit.
 */
import { randomInt } from 'node:crypto';
import { checkBooksBalance } from './support/books-balance';
import { inParallel } from './support/async';
import { FlashSaleStack } from './support/flash-sale-stack';

const PRODUCT_STOCK = 1_000;
const SALE_QUANTITY = 500;
const DISTINCT_USERS = 1_500;
const ATTEMPTS = 2_000;
const IN_FLIGHT = 200;

describe('a flash sale under a spike of purchases', () => {
  let stack: FlashSaleStack;

  beforeAll(async () => {
    stack = await FlashSaleStack.start({
      // High enough that the limiter never answers: this test is about the gate and the books.
      order: { PURCHASE_RATE_LIMIT_PER_USER: '10000' },
    });
  }, 150_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  it('sells exactly the sale quantity, one per user, and the books balance once the queues drain', async () => {
    const sale = await stack.createSale({
      productStock: PRODUCT_STOCK,
      quantity: SALE_QUANTITY,
      perUserLimit: 1,
    });

    // Every user tries once; the extra attempts are repeats by random users, all in random order.
    const buyers = Array.from({ length: DISTINCT_USERS }, (_, i) => `user-${i}`);
    const attempts = [
      ...buyers,
      ...Array.from({ length: ATTEMPTS - DISTINCT_USERS }, () => buyers[randomInt(DISTINCT_USERS)]),
    ];
    shuffle(attempts);

    const spikeStarted = Date.now();
    const answers = await inParallel(attempts, IN_FLIGHT, async (userId) => {
      const answer = await stack.http('order', 'POST', `/sales/${sale.id}/purchases`, {
        userId,
        quantity: 1,
      });
      return { userId, status: answer.status, code: answer.body?.code as string | undefined };
    });
    const spikeMs = Date.now() - spikeStarted;

    const byAnswer = countBy(answers, (answer) => `${answer.status}${answer.code ? ` ${answer.code}` : ''}`);
    console.log(`spike: ${ATTEMPTS} attempts in ${spikeMs} ms: ${JSON.stringify(byAnswer)}`);
    // Losers are told at once (409/429), never with an error.
    expect(answers.filter((answer) => ![202, 409, 429].includes(answer.status))).toEqual([]);
    const winners = answers.filter((answer) => answer.status === 202);
    expect(winners).toHaveLength(SALE_QUANTITY);
    expect(new Set(winners.map((winner) => winner.userId)).size).toBe(SALE_QUANTITY);

    const books = await checkBooksBalance(stack.booksTarget(sale.id, PRODUCT_STOCK), {
      quietMs: 3_000,
      timeoutMs: 60_000,
    });
    console.log(
      `books: drained=${books.drained} in ${books.drainMs} ms after the spike; ${JSON.stringify(books.figures)}`,
    );
    expect(books.violations).toEqual([]);
    expect(books.figures).toMatchObject({
      ordersByStatus: { CREATED: SALE_QUANTITY },
      redisRemaining: 0,
      deductedUnits: SALE_QUANTITY,
      releasedUnits: 0,
      productStock: PRODUCT_STOCK - SALE_QUANTITY,
    });
  }, 150_000);
});

function shuffle<T>(items: T[]): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [items[i], items[j]] = [items[j], items[i]];
  }
}

function countBy<T>(items: T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}
