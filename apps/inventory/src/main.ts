import { bootstrapService, loadServiceConfig } from '@flashsale/service-kit';
import { InventoryConfig } from './config/inventory.config';
import { createInventoryApp, inventoryAppOptions } from './inventory-app';

void bootstrapService({
  service: 'inventory',
  loadConfig: () => loadServiceConfig(InventoryConfig, process.env),
  create: createInventoryApp,
  app: inventoryAppOptions,
});
