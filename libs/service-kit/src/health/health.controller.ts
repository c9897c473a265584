import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, type HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { HEALTH_INDICATORS, type ServiceHealthIndicator } from './service-health-indicator';

@ApiTags('health')
@Controller()
export class HealthController {
  constructor(
    @Inject(HealthCheckService) private readonly health: HealthCheckService,
    @Inject(HEALTH_INDICATORS) private readonly indicators: ServiceHealthIndicator[],
  ) {}

  /** Readiness: 200 when every dependency answers, 503 listing the ones that do not. */
  @Get('health')
  @HealthCheck()
  @ApiServiceUnavailableResponse({ description: 'At least one dependency is down' })
  check(): Promise<HealthCheckResult> {
    return this.health.check(this.indicators.map((indicator) => () => indicator.check()));
  }

  /** Liveness: the process runs and serves HTTP. Deliberately checks no dependency, so an outage of
   * PostgreSQL or Redis does not make an orchestrator restart every instance at once. */
  @Get('alive')
  @ApiOkResponse({ description: 'The process is running' })
  alive(): { status: 'ok' } {
    return { status: 'ok' };
  }
}
