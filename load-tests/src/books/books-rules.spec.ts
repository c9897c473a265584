import type { Books } from './books';
import { judgeBooks } from './books-rules';

/** A sale of 3 units, bought by u1 and u2; u2's order closed and its unit went back everywhere. */
function balancedBooks(): Books {
  return {
    sale: { sku: 'SKU-1', quantity: 3, perUserLimit: 1 },
    stockKey: 'flashsale:{sale:s1}:stock',
    orders: [
      { id: 'o1', userId: 'u1', quantity: 1, status: 'CREATED' },
      { id: 'o2', userId: 'u2', quantity: 1, status: 'CLOSED' },
    ],
    knownOrderIds: new Set(['o1', 'o2']),
    movements: [
      { orderId: 'o1', kind: 'DEDUCT', quantity: 1 },
      { orderId: 'o2', kind: 'DEDUCT', quantity: 1 },
      { orderId: 'o2', kind: 'RELEASE', quantity: 1 },
    ],
    productStock: 9,
    notificationsPerStatus: [
      { orderId: 'o1', status: 'CREATED', count: 1 },
      { orderId: 'o2', status: 'CREATED', count: 1 },
      { orderId: 'o2', status: 'CLOSED', count: 1 },
      // Another sale's order: neither counted nor judged here.
      { orderId: 'other-sale-order', status: 'CREATED', count: 2 },
    ],
    // 3 on offer, o1 holds one; o2's unit came back.
    redisRemaining: 2,
    buyers: [
      ['u1', 1],
      ['u2', 1],
    ],
    givenBack: new Set(['o2']),
    queues: {
      groups: [
        { group: 'order-purchase-consumer', topic: 'flashsale_purchase_request', lag: 0, retryLag: 0 },
      ],
      deadLetters: [],
    },
  };
}

describe('judgeBooks', () => {
  it('finds nothing wrong with balanced books and reports their figures', () => {
    const { figures, violations } = judgeBooks(balancedBooks(), 10);
    expect(violations).toEqual([]);
    expect(figures).toMatchObject({
      admittedUnits: 2,
      liveUnits: 1,
      deductedUnits: 2,
      releasedUnits: 1,
      ordersByStatus: { CREATED: 1, CLOSED: 1 },
      notifications: 3,
      backlog: 0,
      deadLetters: 0,
    });
  });

  it('catches a unit sold in Redis without an order (a lost purchase request)', () => {
    const books = balancedBooks();
    books.redisRemaining = 1;
    books.buyers.push(['u3', 1]);
    const { violations } = judgeBooks(books, 10);
    expect(violations).toEqual([
      'sold in Redis 2 (3 - 1) != live order units 1 + closed/cancelled units not given back 0',
      'the gate admitted 3 units, the orders hold 2',
    ]);
  });

  it('catches a live order whose deduction never happened (a lost ORDER_CREATED)', () => {
    const books = balancedBooks();
    books.movements = books.movements.filter((movement) => movement.orderId !== 'o1');
    expect(judgeBooks(books).violations).toEqual([
      'inventory deducted 1 - released 1 != live order units 1',
      'CREATED order o1 has no deduction',
    ]);
  });

  it('catches a closed order whose stock was never released, in inventory or in Redis', () => {
    const books = balancedBooks();
    books.movements = books.movements.filter((movement) => movement.kind !== 'RELEASE');
    books.givenBack.clear();
    books.redisRemaining = 1;
    expect(judgeBooks(books).violations).toEqual([
      'CLOSED order o2: units not back in Redis',
      'inventory deducted 2 - released 0 != live order units 1',
      'CLOSED order o2 was deducted but never released',
    ]);
  });

  it('catches oversell, a user above the limit and a stock of record that does not add up', () => {
    const books = balancedBooks();
    books.orders.push(
      { id: 'o3', userId: 'u1', quantity: 1, status: 'PAID' },
      { id: 'o4', userId: 'u4', quantity: 2, status: 'CREATED' },
    );
    for (const id of ['o3', 'o4']) books.knownOrderIds.add(id);
    books.movements.push(
      { orderId: 'o3', kind: 'DEDUCT', quantity: 1 },
      { orderId: 'o4', kind: 'DEDUCT', quantity: 2 },
    );
    books.buyers = [
      ['u1', 2],
      ['u2', 1],
      ['u4', 2],
    ];
    books.redisRemaining = -1;
    const { violations } = judgeBooks(books, 10);
    expect(violations).toEqual(
      expect.arrayContaining([
        'oversold: Redis remaining is -1',
        'oversold: 4 live units in a sale of 3',
        'product stock 9 != 6 (initial 10 - net movements)',
        'user u1 holds 2 units in orders (limit 1)',
        'user u4 holds 2 units in orders (limit 1)',
        'user u1 was admitted 2 units by the gate (limit 1)',
      ]),
    );
  });

  it('catches duplicate notifications and deductions for orders that do not exist', () => {
    const books = balancedBooks();
    books.notificationsPerStatus[0].count = 2;
    books.movements.push({ orderId: 'ghost', kind: 'DEDUCT', quantity: 1 });
    expect(judgeBooks(books).violations).toEqual(
      expect.arrayContaining([
        '2 notifications for order o1 CREATED',
        'deduction for order ghost, which does not exist',
      ]),
    );
  });

  it('catches what the broker still holds: a backlog, retries due and dead letters', () => {
    const books = balancedBooks();
    books.queues = {
      groups: [{ group: 'inventory-deduct-consumer', topic: 'flashsale_order_created', lag: 4, retryLag: 2 }],
      deadLetters: [
        { group: 'inventory-deduct-consumer', msgId: 'M1', reconsumeTimes: 16, body: '{"orderId":"o1"}' },
      ],
    };
    const { figures, violations } = judgeBooks(books);
    expect(violations).toEqual([
      'inventory-deduct-consumer: 4 messages of flashsale_order_created unconsumed',
      'inventory-deduct-consumer: 2 messages waiting in its retry topic',
      'inventory-deduct-consumer: dead letter M1 after 16 retries: {"orderId":"o1"}',
    ]);
    expect(figures).toMatchObject({ backlog: 6, deadLetters: 1 });
  });
});
