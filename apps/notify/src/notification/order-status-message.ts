import { type OrderStatus, OrderStatuses, type OrderStatusChangedEvent } from '@flashsale/contracts';
import { IsIn, IsNotEmpty, IsString, IsUUID } from 'class-validator';

/** The ORDER_STATUS body as notify checks it. */
export class OrderStatusChangedMessage implements OrderStatusChangedEvent {
  @IsUUID()
  orderId!: string;

  @IsString()
  @IsNotEmpty()
  userId!: string;

  @IsIn(OrderStatuses)
  status!: OrderStatus;

  @IsString()
  changedAt!: string;
}

const TEXTS: Record<OrderStatus, string> = {
  CREATED: 'your flash-sale order %s is created; pay within the time limit to keep it.',
  PAID: 'payment received for order %s, thank you.',
  CLOSED: 'order %s was closed because it was not paid in time.',
  CANCELLED: 'order %s was cancelled: the item is sold out.',
};

/** The text a buyer gets for one status of one order. */
export function notificationBody(change: OrderStatusChangedEvent): string {
  return `Flash sale: ${TEXTS[change.status].replace('%s', change.orderId)}`;
}

/**
 * Where the SMS goes. This reference application has no user service holding phone numbers, so the
 * user id stands for the address a real provider integration would look up.
 */
export function recipientOf(change: OrderStatusChangedEvent): string {
  return `user:${change.userId}`;
}

/** The provider-side idempotency key: one SMS per (order, status), whatever the number of attempts. */
export function idempotencyKeyOf(change: Pick<OrderStatusChangedEvent, 'orderId' | 'status'>): string {
  return `${change.orderId}:${change.status}`;
}
