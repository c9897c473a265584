/**
 * Where a flash sale's live counters live in Redis. The order service's purchase gate writes them; the
 * inventory service gives stock back to them when an order closes, so the layout is a contract.
 *
 * Every key of one sale carries the same hash tag `{sale:<id>}`: on Redis Cluster all of them land in
 * one slot, which a Lua script that touches several keys atomically requires.
 */
export const DEFAULT_SALE_KEY_PREFIX = 'flashsale:';

export interface FlashSaleKeys {
  /** Units left to sell (integer). */
  stock: string;
  /** Hash userId → units bought, for the per-user limit. */
  buyers: string;
  /** Hash with the sale window and limit: startsAt, endsAt (epoch ms), perUserLimit. */
  meta: string;
  /** Set of order ids whose units were already given back, so a release is applied once. */
  released: string;
}

export function flashSaleKeys(saleId: string, prefix: string = DEFAULT_SALE_KEY_PREFIX): FlashSaleKeys {
  const tag = `{sale:${saleId}}`;
  return {
    stock: `${prefix}${tag}:stock`,
    buyers: `${prefix}${tag}:buyers`,
    meta: `${prefix}${tag}:meta`,
    released: `${prefix}${tag}:released`,
  };
}
