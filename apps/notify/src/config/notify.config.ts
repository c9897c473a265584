import { BaseServiceConfig } from '@flashsale/service-kit';

/** The notify service's environment. Its own variables (SMS gateway latency, failure rate) come later. */
export class NotifyConfig extends BaseServiceConfig {
  override PORT = 3003;
  override DB_NAME = 'notify';
  override REDIS_KEY_PREFIX = 'notify:';
}
