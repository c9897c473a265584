import { Inject, Injectable } from '@nestjs/common';
import { type HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import type Redis from 'ioredis';
import { REDIS } from '../redis/redis.constants';
import { HEALTH_PROBE_TIMEOUT_MS, type ServiceHealthIndicator } from './service-health-indicator';

/** `redis`: sends PING over the service's Redis connection. */
@Injectable()
export class RedisHealthIndicator implements ServiceHealthIndicator {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(HealthIndicatorService) private readonly health: HealthIndicatorService,
  ) {}

  async check(): Promise<HealthIndicatorResult> {
    const indicator = this.health.check('redis');
    // While disconnected, answer at once rather than queue a PING behind the reconnection attempts.
    if (this.redis.status !== 'ready') return indicator.down({ message: `connection ${this.redis.status}` });
    try {
      await withTimeout(this.redis.ping(), HEALTH_PROBE_TIMEOUT_MS);
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: error instanceof Error ? error.message : String(error) });
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
