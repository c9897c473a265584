import { BaseServiceConfig } from '@flashsale/service-kit';
import { DEFAULT_SALE_KEY_PREFIX } from '@flashsale/contracts';
import { IsString } from 'class-validator';

/** The inventory service's environment. */
export class InventoryConfig extends BaseServiceConfig {
  override PORT = 3002;
  override DB_NAME = 'inventory';
  override REDIS_KEY_PREFIX = 'inventory:';

  /**
   * Prefix of the flash sales' live counters (`flashSaleKeys(saleId, SALE_KEY_PREFIX)`), which the
   * order service's purchase gate writes and this service gives released units back to. These keys are
   * shared between services, so they are written without this service's own REDIS_KEY_PREFIX; both
   * services must be configured with the same value.
   */
  @IsString()
  SALE_KEY_PREFIX = DEFAULT_SALE_KEY_PREFIX;
}
