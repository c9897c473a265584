import { type DynamicModule, Module } from '@nestjs/common';
import type { BaseServiceConfig } from './config/base-service.config';
import { ServiceConfigModule } from './config/service-config.module';
import { DatabaseModule, type DatabaseOptions } from './database/database.module';
import { HealthModule, type HealthOptions } from './health/health.module';
import { LoggingModule, type LoggingOptions } from './logging/logging.module';
import { MetricsModule } from './metrics/metrics.module';
import { RedisModule } from './redis/redis.module';

export interface ServiceKitOptions {
  /** `order`, `inventory` or `notify`: labels logs and metrics, names the database connection. */
  service: string;
  /** The validated configuration, from {@link loadServiceConfig}. */
  config: BaseServiceConfig;
  database: DatabaseOptions;
  health?: HealthOptions;
  logging?: LoggingOptions;
}

/**
 * Everything a service stands on, imported once by its AppModule: configuration (injectable by
 * class), pino logging, PostgreSQL through TypeORM with migrations, Redis (`@Inject(REDIS)`),
 * Prometheus metrics (`GET /metrics`) and health checks (`GET /health`, `GET /alive`).
 */
@Module({})
export class ServiceKitModule {
  static forRoot(options: ServiceKitOptions): DynamicModule {
    return {
      module: ServiceKitModule,
      imports: [
        ServiceConfigModule.forRoot(options.service, options.config),
        LoggingModule.forRoot(options.logging),
        DatabaseModule.forRoot(options.database),
        RedisModule.forRoot(),
        MetricsModule,
        HealthModule.forRoot(options.health),
      ],
    };
  }
}
