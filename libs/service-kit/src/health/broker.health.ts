import { AdminClient } from '@flashsale/mq';
import { BaseServiceConfig } from '../config/base-service.config';
import { HEALTH_PROBE_TIMEOUT_MS, type ServiceHealthIndicator } from './service-health-indicator';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { type HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';

/**
 * `broker`: asks a NameServer for the cluster (GET_BROKER_CLUSTER_INFO) and reports how many brokers
 * are registered. Down when no NameServer answers in time, or when none has a broker: either way no
 * message can be sent or consumed. Uses an AdminClient of its own with the probe timeout, so a hung
 * NameServer cannot hold `GET /health`.
 */
@Injectable()
export class BrokerHealthIndicator implements ServiceHealthIndicator, OnApplicationShutdown {
  private readonly admin: AdminClient;

  constructor(
    @Inject(BaseServiceConfig) config: BaseServiceConfig,
    @Inject(HealthIndicatorService) private readonly health: HealthIndicatorService,
  ) {
    this.admin = new AdminClient({
      nameServer: config.NAMESRV_ADDR,
      apiTimeoutMillis: HEALTH_PROBE_TIMEOUT_MS,
    });
  }

  async check(): Promise<HealthIndicatorResult> {
    const indicator = this.health.check('broker');
    try {
      const info = await this.admin.getClusterInfo();
      const brokers = Object.keys(info.brokerAddrTable ?? {}).length;
      if (brokers === 0) return indicator.down({ message: 'no broker registered with the NameServer' });
      return indicator.up({ brokers });
    } catch (error) {
      return indicator.down({ message: error instanceof Error ? error.message : String(error) });
    }
  }

  onApplicationShutdown(): void {
    this.admin.close();
  }
}
