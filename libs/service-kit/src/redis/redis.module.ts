import { type DynamicModule, Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';
import { BaseServiceConfig } from '../config/base-service.config';
import { SERVICE_NAME } from '../config/service-config.module';
import { closeRedisClient, createRedisClient } from './create-redis-client';
import { REDIS } from './redis.constants';

/** Provides the service's Redis client under the {@link REDIS} token and closes it on shutdown. */
@Global()
@Module({})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  static forRoot(): DynamicModule {
    return {
      module: RedisModule,
      providers: [
        {
          provide: REDIS,
          inject: [BaseServiceConfig, SERVICE_NAME],
          useFactory: (config: BaseServiceConfig, service: string) =>
            createRedisClient({
              url: config.REDIS_URL,
              keyPrefix: config.REDIS_KEY_PREFIX,
              connectionName: service,
            }),
        },
      ],
      exports: [REDIS],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await closeRedisClient(this.redis);
  }
}
