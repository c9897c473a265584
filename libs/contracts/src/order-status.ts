/** The life of an order. CREATED → PAID, or CREATED → CLOSED (unpaid when its delay fired) / CANCELLED. */
export const OrderStatuses = ['CREATED', 'PAID', 'CLOSED', 'CANCELLED'] as const;
export type OrderStatus = (typeof OrderStatuses)[number];

const FINAL: ReadonlySet<OrderStatus> = new Set(['PAID', 'CLOSED', 'CANCELLED']);

export function isOrderStatus(value: unknown): value is OrderStatus {
  return typeof value === 'string' && (OrderStatuses as readonly string[]).includes(value);
}

/** Only a CREATED order may move on, and only once: the rule behind "pay and close race safely". */
export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return from === 'CREATED' && FINAL.has(to);
}
