import { BaseServiceConfig } from '@flashsale/service-kit';

/** The order service's environment. Its own variables (sale gate, close delay) come with the flows. */
export class OrderConfig extends BaseServiceConfig {
  override PORT = 3001;
  override DB_NAME = 'order';
  override REDIS_KEY_PREFIX = 'order:';
}
