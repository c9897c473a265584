import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { prometheusContentType, type Registry } from 'prom-client';
import { METRICS_REGISTRY } from './metrics.constants';

/** `GET /metrics` in the Prometheus text format, for Prometheus and the load-test report. */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(METRICS_REGISTRY) private readonly registry: Registry) {}

  @Get()
  @Header('Content-Type', prometheusContentType)
  scrape(): Promise<string> {
    return this.registry.metrics();
  }
}
