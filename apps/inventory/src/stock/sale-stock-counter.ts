import { flashSaleKeys } from '@flashsale/contracts';
import { closeRedisClient, createRedisClient } from '@flashsale/service-kit';
import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';
import { InventoryConfig } from '../config/inventory.config';

/**
 * Gives units back to a sale's live counter at most once per order, atomically: "if SADD released
 * orderId == 1 then INCRBY stock q" in one script, so no crash or retry can do one without the other.
 *
 * Written as SISMEMBER, INCRBY, SADD rather than SADD first: Redis does not roll a script back when a
 * command in it fails, so a failing INCRBY (the counter is not an integer) after a successful SADD
 * would mark the order released without giving its units back — and every retry would then skip it.
 * In this order a failure happens before anything is written. A sale whose counter no longer exists
 * (ended, cleaned up) is left alone rather than resurrected with a stray key.
 */
const RELEASE_ONCE = `
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 1 then return 0 end
redis.call('INCRBY', KEYS[1], ARGV[2])
redis.call('SADD', KEYS[2], ARGV[1])
return 1`;

export type SaleRestoreOutcome = 'RESTORED' | 'ALREADY_RESTORED' | 'NO_LIVE_SALE';

const OUTCOMES: Record<string, SaleRestoreOutcome> = {
  '1': 'RESTORED',
  '0': 'ALREADY_RESTORED',
  '-1': 'NO_LIVE_SALE',
};

/**
 * The sale counters are a contract with the order service (flashSaleKeys), so they are reached through
 * a client of their own, without the service-private REDIS_KEY_PREFIX the shared client would prepend.
 */
@Injectable()
export class SaleStockCounter implements OnApplicationShutdown {
  private readonly redis: Redis;

  constructor(private readonly config: InventoryConfig) {
    this.redis = createRedisClient({
      url: config.REDIS_URL,
      keyPrefix: '',
      connectionName: 'inventory-sale',
    });
  }

  async restoreOnce(saleId: string, orderId: string, quantity: number): Promise<SaleRestoreOutcome> {
    const keys = flashSaleKeys(saleId, this.config.SALE_KEY_PREFIX);
    const result = await this.redis.eval(RELEASE_ONCE, 2, keys.stock, keys.released, orderId, quantity);
    return OUTCOMES[String(result)];
  }

  async onApplicationShutdown(): Promise<void> {
    await closeRedisClient(this.redis);
  }
}
