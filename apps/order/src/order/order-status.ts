/**
 * The life of a purchase order: CREATED by the transactional message, then PAID by the buyer, CLOSED
 * by the delayed close when unpaid in time, or CANCELLED by the buyer. The database enforces the
 * list with a CHECK constraint.
 */
export const ORDER_STATUSES = ['CREATED', 'PAID', 'CLOSED', 'CANCELLED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Why a CANCELLED order was cancelled. */
export type CancelReason = 'BUYER' | 'STOCK_DEDUCT_FAILED';
