import { Inject, Injectable } from '@nestjs/common';
import { type HealthIndicatorResult, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { HEALTH_PROBE_TIMEOUT_MS, type ServiceHealthIndicator } from './service-health-indicator';

/** `database`: runs `SELECT 1` on the service's PostgreSQL connection. */
@Injectable()
export class DatabaseHealthIndicator implements ServiceHealthIndicator {
  constructor(@Inject(TypeOrmHealthIndicator) private readonly typeOrm: TypeOrmHealthIndicator) {}

  check(): Promise<HealthIndicatorResult> {
    return this.typeOrm.pingCheck('database', { timeout: HEALTH_PROBE_TIMEOUT_MS });
  }
}
