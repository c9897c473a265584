import { bootstrapService, loadServiceConfig } from '@flashsale/service-kit';
import { createOrderApp } from './app.factory';
import { orderAppOptions } from './app.options';
import { OrderConfig } from './config/order.config';

void bootstrapService({
  service: 'order',
  loadConfig: () => loadServiceConfig(OrderConfig, process.env),
  create: createOrderApp,
  app: orderAppOptions,
});
