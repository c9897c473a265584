import { ServiceError } from '@flashsale/service-kit';
import { HttpStatus } from '@nestjs/common';

/**
 * Why the gate turned a buyer away. Every loser gets one of these at once, without touching the
 * database or the broker: that is what keeps a spike off the rest of the system.
 */
export type PurchaseRejection = 'SOLD_OUT' | 'ALREADY_BOUGHT' | 'NOT_STARTED' | 'ENDED';

/** 409: the request was fine, but the sale says no. `code` tells which rule. */
export class PurchaseRejectedError extends ServiceError {
  constructor(readonly reason: PurchaseRejection) {
    super(HttpStatus.CONFLICT, reason, REJECTION_MESSAGES[reason]);
  }
}

const REJECTION_MESSAGES: Record<PurchaseRejection, string> = {
  SOLD_OUT: 'Sold out',
  ALREADY_BOUGHT: 'You already bought as many units as this sale allows',
  NOT_STARTED: 'The sale has not started yet',
  ENDED: 'The sale has ended',
};

export class RateLimitedError extends ServiceError {
  constructor() {
    super(HttpStatus.TOO_MANY_REQUESTS, 'RATE_LIMITED', 'Too many purchase attempts; slow down');
  }
}

export class QuantityAboveLimitError extends ServiceError {
  constructor() {
    super(
      HttpStatus.BAD_REQUEST,
      'QUANTITY_ABOVE_LIMIT',
      'quantity is above the per-user limit of this sale',
    );
  }
}

/** The request was admitted, but could not be queued; its units went back to the sale. */
export class PurchaseUnavailableError extends ServiceError {
  constructor() {
    super(HttpStatus.SERVICE_UNAVAILABLE, 'PURCHASE_UNAVAILABLE', 'Could not queue the purchase; try again');
  }
}
