import { Inject, Injectable } from '@nestjs/common';
import { REDIS } from '@flashsale/service-kit';
import type Redis from 'ioredis';
import { OrderConfig } from '../config/order.config';
import { LuaScript } from '../redis/lua-script';
import { RATE_LIMIT_LUA } from './rate-limit.lua';

const WINDOW_MS = 1_000;
const rateLimitScript = new LuaScript('rate-limit', RATE_LIMIT_LUA, 1);

/**
 * PURCHASE_RATE_LIMIT_PER_USER attempts per user per second, checked before the gate: a script that
 * hammers the endpoint costs one INCR per request and gets 429, and cannot crowd other buyers out of
 * the gate. Its own atomic step (INCR + PEXPIRE in one script, so a counter never lives forever) on the
 * service's prefixed Redis keys: unlike the sale counters, nobody else reads them.
 */
@Injectable()
export class PurchaseRateLimiter {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: OrderConfig,
  ) {}

  /** Counts the attempt; false when the user is over the limit in the current second. */
  async tryAcquire(userId: string, now = Date.now()): Promise<boolean> {
    const window = Math.floor(now / WINDOW_MS);
    const count = await rateLimitScript.run<number>(this.redis, [`rate:${userId}:${window}`], [WINDOW_MS]);
    return count <= this.config.PURCHASE_RATE_LIMIT_PER_USER;
  }
}
