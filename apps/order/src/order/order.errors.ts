import { ServiceError } from '@flashsale/service-kit';
import { HttpStatus } from '@nestjs/common';
import type { OrderStatus } from './order-status';

export class OrderNotFoundError extends ServiceError {
  constructor(orderId: string) {
    super(HttpStatus.NOT_FOUND, 'ORDER_NOT_FOUND', `No order ${orderId}`);
  }
}

/**
 * 409: the order already left CREATED another way. `code` is `ORDER_<STATUS>` — e.g. ORDER_CLOSED for
 * a payment that arrives after the delayed close: refused, since its stock is on its way back to sale.
 */
export class OrderStateConflictError extends ServiceError {
  constructor(
    orderId: string,
    readonly orderStatus: OrderStatus,
    attempted: string,
  ) {
    super(
      HttpStatus.CONFLICT,
      `ORDER_${orderStatus}`,
      `Cannot ${attempted} order ${orderId}: it is ${orderStatus}`,
    );
  }
}

/**
 * 503: the status change is recorded, but its message could not be sent. Repeating the request is
 * safe and sends it again (pay and cancel are idempotent for an order already in the target state).
 */
export class StatusNotPublishedError extends ServiceError {
  constructor(orderId: string, status: OrderStatus) {
    super(
      HttpStatus.SERVICE_UNAVAILABLE,
      'STATUS_NOT_PUBLISHED',
      `Order ${orderId} is ${status}, but the change could not be announced yet; repeat the request`,
    );
  }
}
