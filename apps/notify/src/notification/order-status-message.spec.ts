import { InvalidMessageError, parseMessage } from '@flashsale/service-kit';
import { idempotencyKeyOf, notificationBody, OrderStatusChangedMessage } from './order-status-message';

const valid = {
  orderId: '00000000-0000-4000-8000-000000000001',
  userId: 'u1',
  status: 'PAID',
  changedAt: '2025-01-01T00:00:00.000Z',
};

describe('order status message', () => {
  it('accepts the contract and builds the text and the idempotency key', () => {
    const change = parseMessage(OrderStatusChangedMessage, valid);

    expect(notificationBody(change)).toContain(valid.orderId);
    expect(idempotencyKeyOf(change)).toBe(`${valid.orderId}:PAID`);
  });

  it.each([
    ['an unknown status', { ...valid, status: 'SHIPPED' }],
    ['an order id that is not a UUID', { ...valid, orderId: '42' }],
    ['no user', { ...valid, userId: undefined }],
    ['a body that is not an object', 'PAID'],
  ])('refuses %s', (_case, payload) => {
    expect(() => parseMessage(OrderStatusChangedMessage, payload)).toThrow(InvalidMessageError);
  });
});
