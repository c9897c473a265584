import { bootstrapService, loadServiceConfig } from '@flashsale/service-kit';
import { AppModule } from './app.module';
import { orderAppOptions } from './app.options';
import { OrderConfig } from './config/order.config';

void bootstrapService({
  service: 'order',
  loadConfig: () => loadServiceConfig(OrderConfig, process.env),
  module: (config) => AppModule.forRoot(config),
  app: orderAppOptions,
});
