import { type DynamicModule, Module, type ModuleMetadata, type Type } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DatabaseHealthIndicator } from './database.health';
import { HealthController } from './health.controller';
import { RedisHealthIndicator } from './redis.health';
import { HEALTH_INDICATORS, type ServiceHealthIndicator } from './service-health-indicator';

export interface HealthOptions {
  /**
   * Further indicators, checked after `database` and `redis`: this is where a service plugs in, for
   * example, a `broker` indicator that asks the NameServer for a route.
   */
  indicators?: Type<ServiceHealthIndicator>[];
  /** Modules exporting what those indicators inject. */
  imports?: ModuleMetadata['imports'];
}

/** `GET /health` (readiness, via @nestjs/terminus) and `GET /alive` (liveness). */
@Module({})
export class HealthModule {
  static forRoot(options: HealthOptions = {}): DynamicModule {
    const indicators: Type<ServiceHealthIndicator>[] = [
      DatabaseHealthIndicator,
      RedisHealthIndicator,
      ...(options.indicators ?? []),
    ];
    return {
      module: HealthModule,
      imports: [TerminusModule.forRoot({ errorLogStyle: 'json' }), ...(options.imports ?? [])],
      controllers: [HealthController],
      providers: [
        ...indicators,
        {
          provide: HEALTH_INDICATORS,
          inject: indicators,
          useFactory: (...all: ServiceHealthIndicator[]) => all,
        },
      ],
    };
  }
}
