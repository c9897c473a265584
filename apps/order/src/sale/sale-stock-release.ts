import { flashSaleKeys } from '@flashsale/contracts';
import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { OrderConfig } from '../config/order.config';
import { LuaScript } from '../redis/lua-script';
import { SALE_REDIS } from '../redis/sale-redis.module';
import { RELEASE_UNITS_LUA } from './release-units.lua';

const releaseScript = new LuaScript('release-units', RELEASE_UNITS_LUA, 2);

/**
 * Puts an order's units back into the sale's Redis stock, once per order (the shared `released` set).
 *
 * Who gives a unit back: inventory, for ORDER_CLOSED (closed or cancelled by the buyer: it deducted the
 * stock, so it releases it in its database and restores Redis); this service, for an order cancelled
 * because inventory could NOT deduct (no ORDER_CLOSED is sent for it: inventory has nothing to release
 * in its database). Either way the `released` set makes a second attempt a no-op.
 */
@Injectable()
export class SaleStockRelease {
  constructor(
    @Inject(SALE_REDIS) private readonly redis: Redis,
    @Inject(OrderConfig) private readonly config: Pick<OrderConfig, 'SALE_KEY_PREFIX'>,
  ) {}

  /** True if the units went back now, false if they had been given back before. */
  async release(saleId: string, orderId: string, quantity: number): Promise<boolean> {
    const keys = flashSaleKeys(saleId, this.config.SALE_KEY_PREFIX);
    return (
      (await releaseScript.run<number>(this.redis, [keys.released, keys.stock], [orderId, quantity])) === 1
    );
  }
}
