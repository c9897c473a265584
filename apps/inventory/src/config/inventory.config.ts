import { BaseServiceConfig } from '@flashsale/service-kit';

/** The inventory service's environment. */
export class InventoryConfig extends BaseServiceConfig {
  override PORT = 3002;
  override DB_NAME = 'inventory';
  override REDIS_KEY_PREFIX = 'inventory:';
}
