import { HttpStatus } from '@nestjs/common';

/**
 * Every way a purchase attempt can be turned away, with its HTTP status and message.
 *
 * At the peak of a sale almost every attempt is one of these — tens of thousands a second, all
 * expected — so they are values the purchase route answers with, not exceptions thrown through the
 * framework: a loser costs two Redis round trips and a constant answer, and never touches the
 * database or the broker. That is what keeps a spike off the rest of the system.
 */
export const PURCHASE_REFUSALS = {
  /** 409: the request was fine, but the sale says no. */
  SOLD_OUT: { status: HttpStatus.CONFLICT, message: 'Sold out' },
  ALREADY_BOUGHT: {
    status: HttpStatus.CONFLICT,
    message: 'You already bought as many units as this sale allows',
  },
  NOT_STARTED: { status: HttpStatus.CONFLICT, message: 'The sale has not started yet' },
  ENDED: { status: HttpStatus.CONFLICT, message: 'The sale has ended' },
  RATE_LIMITED: { status: HttpStatus.TOO_MANY_REQUESTS, message: 'Too many purchase attempts; slow down' },
  /** The body or the sale id does not match the route's schema; the message says which field. */
  INVALID_REQUEST: { status: HttpStatus.BAD_REQUEST, message: 'Invalid purchase request' },
  QUANTITY_ABOVE_LIMIT: {
    status: HttpStatus.BAD_REQUEST,
    message: 'quantity is above the per-user limit of this sale',
  },
  SALE_NOT_FOUND: { status: HttpStatus.NOT_FOUND, message: 'No such flash sale' },
  /** Admitted, but the request could not be queued; its units went back to the sale. */
  PURCHASE_UNAVAILABLE: {
    status: HttpStatus.SERVICE_UNAVAILABLE,
    message: 'Could not queue the purchase; try again',
  },
} as const satisfies Record<string, { status: HttpStatus; message: string }>;

export type PurchaseRefusal = keyof typeof PURCHASE_REFUSALS;

/** The gate's own refusals: a lost race or a closed window, answered 409. */
export type PurchaseRejection = 'SOLD_OUT' | 'ALREADY_BOUGHT' | 'NOT_STARTED' | 'ENDED';

/** What the purchase service answers: a ticket to poll, or why not. */
export type PurchaseAnswer =
  { accepted: true; ticket: string } | { accepted: false; refusal: PurchaseRefusal };
