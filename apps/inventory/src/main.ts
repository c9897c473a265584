import { bootstrapService, loadServiceConfig } from '@flashsale/service-kit';
import { AppModule } from './app.module';
import { InventoryConfig } from './config/inventory.config';

void bootstrapService({
  service: 'inventory',
  loadConfig: () => loadServiceConfig(InventoryConfig, process.env),
  module: (config) => AppModule.forRoot(config),
});
