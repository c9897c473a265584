import { Topics } from '@flashsale/contracts';
import { nestClientLogger } from '@flashsale/mq/nest';
import { createHybridServiceApp, type ServiceAppOptions } from '@flashsale/service-kit';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import { InventoryConfig } from './config/inventory.config';

export const inventoryAppOptions: ServiceAppOptions = {
  openApi: {
    title: 'Flash-sale inventory service',
    description: 'Products, their stock of record, and the stock deduction and release consumers.',
    version: '0.1.0',
  },
};

/** The inventory app as main.ts and the tests run it: HTTP plus the RocketMQ consumers, not yet listening. */
export function createInventoryApp(config: InventoryConfig): Promise<NestFastifyApplication> {
  return createHybridServiceApp(AppModule.forRoot(config), {
    ...inventoryAppOptions,
    topics: Object.values(Topics),
    rocketmq: { nameServer: config.NAMESRV_ADDR, clientLogger: nestClientLogger('RocketMQ') },
  });
}
