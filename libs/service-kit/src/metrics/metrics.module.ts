import { Global, Inject, Module, type OnModuleDestroy } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { SERVICE_NAME } from '../config/service-config.module';
import { createMetricsRegistry } from './create-metrics-registry';
import { METRICS_REGISTRY } from './metrics.constants';
import { MetricsController } from './metrics.controller';

/** The app's metrics registry (global, so any module can add counters) and `GET /metrics`. */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [{ provide: METRICS_REGISTRY, inject: [SERVICE_NAME], useFactory: createMetricsRegistry }],
  exports: [METRICS_REGISTRY],
})
export class MetricsModule implements OnModuleDestroy {
  constructor(@Inject(METRICS_REGISTRY) private readonly registry: Registry) {}

  onModuleDestroy(): void {
    this.registry.clear();
  }
}
