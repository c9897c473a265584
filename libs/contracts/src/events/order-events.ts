import type { OrderStatus } from '../order-status';

/** Body of a PURCHASE_REQUEST message: a buyer who passed the Redis gate. */
export interface PurchaseRequestedEvent {
  ticket: string;
  saleId: string;
  sku: string;
  userId: string;
  quantity: number;
  requestedAt: string;
}

/** Body of an ORDER_CREATED message (committed transactional message). */
export interface OrderCreatedEvent {
  orderId: string;
  saleId: string;
  sku: string;
  userId: string;
  quantity: number;
  createdAt: string;
}

/** Body of an ORDER_CLOSED message: stock to give back. */
export interface OrderClosedEvent {
  orderId: string;
  saleId: string;
  sku: string;
  quantity: number;
  status: Extract<OrderStatus, 'CLOSED' | 'CANCELLED'>;
  closedAt: string;
}

/** Body of an ORDER_STATUS message; the order id is the sharding key. */
export interface OrderStatusChangedEvent {
  orderId: string;
  userId: string;
  status: OrderStatus;
  changedAt: string;
}

/** Body of a STOCK_DEDUCT_FAILED message: inventory refused to go negative for this order. */
export interface StockDeductFailedEvent {
  orderId: string;
  saleId: string;
  sku: string;
  quantity: number;
  reason: 'INSUFFICIENT_STOCK' | 'UNKNOWN_SKU';
  failedAt: string;
}
