import { createRedisClient, closeRedisClient } from '@flashsale/service-kit';
import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';
import { OrderConfig } from '../config/order.config';

/** Injection token of the Redis client for the sale counters (`@Inject(SALE_REDIS)`). */
export const SALE_REDIS = 'SALE_REDIS';

/**
 * A second Redis connection without REDIS_KEY_PREFIX, for the keys of `flashSaleKeys(saleId,
 * SALE_KEY_PREFIX)`. The service's own client prefixes every key with REDIS_KEY_PREFIX ('order:'), but
 * the sale counters are shared with the inventory service (it puts released units back), so their
 * names must be the same whichever service writes them.
 */
@Global()
@Module({
  providers: [
    {
      provide: SALE_REDIS,
      inject: [OrderConfig],
      useFactory: (config: OrderConfig) =>
        createRedisClient({ url: config.REDIS_URL, keyPrefix: '', connectionName: 'order-sale-gate' }),
    },
  ],
  exports: [SALE_REDIS],
})
export class SaleRedisModule implements OnApplicationShutdown {
  constructor(@Inject(SALE_REDIS) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await closeRedisClient(this.redis);
  }
}
