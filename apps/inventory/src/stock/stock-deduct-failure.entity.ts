import type { StockDeductFailedEvent } from '@flashsale/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

export type StockDeductFailureReason = StockDeductFailedEvent['reason'];

/**
 * An order that got no stock (insufficient stock, or a SKU this service does not know). Written in the
 * same transaction as the consumption marker; the STOCK_DEDUCT_FAILED message is published from it.
 */
@Entity({ name: 'stock_deduct_failure' })
export class StockDeductFailureEntity {
  @PrimaryColumn({ name: 'order_id', type: 'uuid' })
  orderId!: string;

  @Column({ name: 'sale_id', type: 'text' })
  saleId!: string;

  @Column({ type: 'text' })
  sku!: string;

  @Column({ type: 'integer' })
  quantity!: number;

  @Column({ type: 'text' })
  reason!: StockDeductFailureReason;

  @Column({ name: 'failed_at', type: 'timestamptz', default: () => 'now()' })
  failedAt!: Date;

  /** Set once the broker accepted STOCK_DEDUCT_FAILED; null means "publish (again) on redelivery". */
  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt!: Date | null;
}
