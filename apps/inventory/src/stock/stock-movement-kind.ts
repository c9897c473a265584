/** DEDUCT when an order is created, RELEASE when an unpaid order is closed. */
export const STOCK_MOVEMENT_KINDS = ['DEDUCT', 'RELEASE'] as const;
export type StockMovementKind = (typeof STOCK_MOVEMENT_KINDS)[number];
