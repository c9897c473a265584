import { InvalidMessageError, parseMessage } from '@flashsale/service-kit';
import { OrderClosedMessage, OrderCreatedMessage } from './stock-messages';

const created = {
  orderId: '00000000-0000-4000-8000-000000000001',
  saleId: 's1',
  sku: 'SKU-1',
  userId: 'u1',
  quantity: 2,
  createdAt: '2025-01-01T00:00:00.000Z',
};

describe('stock messages', () => {
  it('accepts ORDER_CREATED and ORDER_CLOSED bodies of the contract', () => {
    expect(parseMessage(OrderCreatedMessage, created)).toMatchObject({
      orderId: created.orderId,
      quantity: 2,
    });
    const closed = { ...created, status: 'CANCELLED', closedAt: created.createdAt };
    expect(parseMessage(OrderClosedMessage, closed)).toMatchObject({ status: 'CANCELLED' });
  });

  it.each([
    ['a zero quantity', { ...created, quantity: 0 }],
    ['a fractional quantity', { ...created, quantity: 1.5 }],
    ['an order id that is not a UUID', { ...created, orderId: 'o-1' }],
    ['no SKU', { ...created, sku: undefined }],
    ['a plain-text body', 'order 1 created'],
  ])('refuses an ORDER_CREATED with %s (it goes to the DLQ after retries)', (_case, payload) => {
    expect(() => parseMessage(OrderCreatedMessage, payload)).toThrow(InvalidMessageError);
  });
});
