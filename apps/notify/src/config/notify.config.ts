import { BaseServiceConfig } from '@flashsale/service-kit';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNumber, Max, Min } from 'class-validator';

export const SMS_PROVIDERS = ['local'] as const;
export type SmsProviderName = (typeof SMS_PROVIDERS)[number];

/** The notify service's environment. */
export class NotifyConfig extends BaseServiceConfig {
  override PORT = 3003;
  override DB_NAME = 'notify';
  override REDIS_KEY_PREFIX = 'notify:';

  /** Which SmsProvider sends: `local` is the in-process gateway with simulated latency and failures. */
  @IsIn(SMS_PROVIDERS, { message: `$property must be one of ${SMS_PROVIDERS.join(', ')}` })
  SMS_PROVIDER: SmsProviderName = 'local';

  /** Local gateway: how long one send takes, in ms. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(60_000)
  SMS_LATENCY_MS = 50;

  /** Local gateway: the share of sends that fail (0 to 1), so retries and the DLQ can be seen. */
  @Type(() => Number)
  @IsNumber()
  @Min(0)
  @Max(1)
  SMS_FAILURE_RATE = 0;

  /**
   * Attempts after the first before a status update goes to %DLQ%notify-status-consumer. The orderly
   * consumer retries in place, holding back the later statuses of the orders on that queue, so this
   * bounds how long one undeliverable SMS can delay the others (RocketMQ's orderly default is unbounded).
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1000)
  NOTIFY_MAX_RECONSUME_TIMES = 16;

  /** Pause of a queue after a failed send before the same message is tried again (RocketMQ: 1000 ms). */
  @Type(() => Number)
  @IsInt()
  @Min(10)
  @Max(60_000)
  NOTIFY_RETRY_PAUSE_MS = 1_000;
}
