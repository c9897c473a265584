import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';
import type { StockMovementKind } from './stock-movement-kind';

/**
 * One change of a product's stock caused by an order. The unique (order, kind) pair is the idempotency
 * key: a redelivered "order created" message cannot deduct twice, because its second insert fails in
 * the same transaction as the second update.
 */
@Entity({ name: 'stock_movement' })
@Unique('stock_movement_once_per_order', ['orderId', 'kind'])
export class StockMovementEntity {
  /** bigserial; the pg driver returns 64-bit integers as strings so that no precision is lost. */
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'text' })
  sku!: string;

  @Column({ name: 'order_id', type: 'uuid' })
  orderId!: string;

  @Column({ type: 'text' })
  kind!: StockMovementKind;

  @Column({ type: 'integer' })
  quantity!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
