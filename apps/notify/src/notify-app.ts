import { Topics } from '@flashsale/contracts';
import { nestClientLogger } from '@flashsale/mq/nest';
import { createHybridServiceApp, type ServiceAppOptions } from '@flashsale/service-kit';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import { NotifyConfig } from './config/notify.config';

export const notifyAppOptions: ServiceAppOptions = {
  openApi: {
    title: 'Flash-sale notify service',
    description: 'Buyer notifications (SMS) for every status change of an order, in order.',
    version: '0.1.0',
  },
};

/** The notify app as main.ts and the tests run it: HTTP plus the orderly consumer, not yet listening. */
export function createNotifyApp(config: NotifyConfig): Promise<NestFastifyApplication> {
  return createHybridServiceApp(AppModule.forRoot(config), {
    ...notifyAppOptions,
    topics: Object.values(Topics),
    rocketmq: {
      nameServer: config.NAMESRV_ADDR,
      clientLogger: nestClientLogger('RocketMQ'),
      // Group settings the decorator cannot read from the configuration.
      maxReconsumeTimes: config.NOTIFY_MAX_RECONSUME_TIMES,
      consumerOptions: { suspendCurrentQueueTimeMillis: config.NOTIFY_RETRY_PAUSE_MS },
    },
  });
}
