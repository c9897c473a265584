import { canTransition, isOrderStatus, OrderStatuses } from './order-status';
import { Topics } from './topics';

describe('order status', () => {
  it('recognises exactly the four statuses', () => {
    expect(OrderStatuses.every(isOrderStatus)).toBe(true);
    expect(isOrderStatus('SHIPPED')).toBe(false);
    expect(isOrderStatus(undefined)).toBe(false);
  });

  it('lets only a CREATED order move, to a final status', () => {
    expect(canTransition('CREATED', 'PAID')).toBe(true);
    expect(canTransition('CREATED', 'CLOSED')).toBe(true);
    expect(canTransition('CREATED', 'CREATED')).toBe(false);
    expect(canTransition('CLOSED', 'PAID')).toBe(false);
    expect(canTransition('PAID', 'CLOSED')).toBe(false);
  });
});

describe('topic names', () => {
  it('are valid RocketMQ topic names (letters, digits, _ and -, at most 127 chars) and distinct', () => {
    const names = Object.values(Topics);
    for (const name of names) expect(name).toMatch(/^[a-zA-Z0-9_-]{1,127}$/);
    expect(new Set(names).size).toBe(names.length);
  });
});
