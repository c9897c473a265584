import { createHash } from 'node:crypto';

/** Namespace of order ids derived from tickets (a random UUID, fixed forever). */
const ORDER_ID_NAMESPACE = Buffer.from('5f0c0a4e9d1b4c3e8a7f2b6d1e9c4a70', 'hex');

/**
 * The order id of a purchase ticket: a name-based UUID (version 5, SHA-1 over namespace + ticket).
 *
 * Why derived and not random: a purchase request is delivered at least once, and each delivery sends
 * a transactional ORDER_CREATED message. With the same id every time, a redelivery's half message
 * names the order the first delivery created, so the local transaction finds it and commits the same
 * fact again (inventory dedupes by order id) instead of announcing an order that does not exist.
 */
export function orderIdForTicket(ticket: string): string {
  const hash = createHash('sha1').update(ORDER_ID_NAMESPACE).update(ticket.toLowerCase()).digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50; // version 5
  bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
