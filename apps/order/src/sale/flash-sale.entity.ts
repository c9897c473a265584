import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A flash sale: `quantity` units of one product at `price_cents`, sold between `startsAt` and `endsAt`. */
@Entity({ name: 'flash_sale' })
export class FlashSaleEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** The product, as the inventory service knows it. */
  @Column({ type: 'text' })
  sku!: string;

  @Column({ type: 'text' })
  title!: string;

  /** Money in integer cents: floating point cannot represent 0.10 exactly. */
  @Column({ name: 'price_cents', type: 'integer' })
  priceCents!: number;

  /** Units on offer; the Redis gate starts from this number. */
  @Column({ type: 'integer' })
  quantity!: number;

  /** Most units one user may buy in this sale. */
  @Column({ name: 'per_user_limit', type: 'integer' })
  perUserLimit!: number;

  @Column({ name: 'starts_at', type: 'timestamptz' })
  startsAt!: Date;

  @Column({ name: 'ends_at', type: 'timestamptz' })
  endsAt!: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
