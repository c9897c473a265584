export * from './topics';
export * from './order-status';
export * from './events/order-events';
export * from './flash-sale-keys';
