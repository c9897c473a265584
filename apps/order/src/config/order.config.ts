import { BaseServiceConfig } from '@flashsale/service-kit';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';

/** The order service's environment: the shared variables plus the sale gate and the order lifecycle. */
export class OrderConfig extends BaseServiceConfig {
  override PORT = 3001;
  override DB_NAME = 'order';
  override REDIS_KEY_PREFIX = 'order:';

  /**
   * Prefix of the sale counters in Redis (`flashSaleKeys(saleId, SALE_KEY_PREFIX)`). Unlike
   * REDIS_KEY_PREFIX it is the whole prefix: those keys are a contract with the inventory service,
   * which gives units back to them, so they must not depend on which service writes them.
   */
  @IsString()
  SALE_KEY_PREFIX = 'flashsale:';

  /**
   * How long an unpaid order stays open. Sent as a timer message (`delayTimeMs`, RocketMQ 5.x
   * TIMER_DELAY_MS; the broker rounds to its wheel precision, 1 s by default). 30 minutes.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1_000)
  @Max(259_200_000)
  ORDER_CLOSE_DELAY_MS = 1_800_000;

  /**
   * When set, the close message uses this 4.x delay level instead (1..18 → 1s 5s 10s 30s 1m ... 30m
   * 1h 2h; 16 = 30 min) — for a cluster without timer messages, e.g. real Apache RocketMQ 4.x.
   */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(18)
  ORDER_CLOSE_DELAY_LEVEL?: number;

  /** Purchase requests being turned into orders at once (the pace itself is PURCHASE_ORDERS_PER_SECOND). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(256)
  PURCHASE_CONSUMER_CONCURRENCY = 8;

  /**
   * The steady pace of order creation: purchase requests this instance turns into orders per second
   * (0: as fast as PURCHASE_CONSUMER_CONCURRENCY allows). The rest of a spike waits in the broker.
   * Pick what the database and the services behind ORDER_CREATED take with room to spare.
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(100_000)
  PURCHASE_ORDERS_PER_SECOND = 50;

  /** Purchase attempts one user may make per second before 429 RATE_LIMITED. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  PURCHASE_RATE_LIMIT_PER_USER = 5;

  /**
   * Transaction check-back: a half message whose order row is missing is rolled back only once it is
   * older than this; before, the local transaction may still be running, so the answer is UNKNOW.
   * Must exceed the local transaction's statement timeout (10 s) by a wide margin.
   */
  @Type(() => Number)
  @IsInt()
  @Min(11_000)
  @Max(86_400_000)
  ORDER_TX_ROLLBACK_AFTER_MS = 60_000;
}
