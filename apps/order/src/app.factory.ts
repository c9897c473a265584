import { Topics } from '@flashsale/contracts';
import { createHybridServiceApp } from '@flashsale/service-kit';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import { orderAppOptions } from './app.options';
import type { OrderConfig } from './config/order.config';

/** The order app as main.ts and the tests run it: HTTP plus the RocketMQ consumers, not yet listening. */
export function createOrderApp(config: OrderConfig): Promise<NestFastifyApplication> {
  return createHybridServiceApp(AppModule.forRoot(config), {
    ...orderAppOptions,
    topics: Object.values(Topics),
    rocketmq: {
      nameServer: config.NAMESRV_ADDR,
      // The default for every group that does not set its own: the purchase consumer's pace.
      concurrency: config.PURCHASE_CONSUMER_CONCURRENCY,
      // A new group starts at the beginning of its topics: nothing sent before the first start is lost.
      consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
    },
  });
}
