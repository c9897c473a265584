import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A product and its stock of record. The database refuses a negative stock, so no sale can oversell. */
@Entity({ name: 'product' })
export class ProductEntity {
  @PrimaryColumn({ type: 'text' })
  sku!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'integer' })
  stock!: number;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
