import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createProcessedMessageTable, dropProcessedMessageTable } from '@flashsale/service-kit';

/**
 * The inventory service's first schema. Migrations are history: never edit one that has been released;
 * add a new file instead.
 */
export class InitialSchema1763946000000 implements MigrationInterface {
  name = 'InitialSchema1763946000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE product (
        sku        text        PRIMARY KEY,
        name       text        NOT NULL,
        stock      integer     NOT NULL CONSTRAINT product_stock_not_negative CHECK (stock >= 0),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    await queryRunner.query(`
      CREATE TABLE stock_movement (
        id         bigserial   PRIMARY KEY,
        sku        text        NOT NULL REFERENCES product (sku),
        order_id   uuid        NOT NULL,
        kind       text        NOT NULL CONSTRAINT stock_movement_kind CHECK (kind IN ('DEDUCT', 'RELEASE')),
        quantity   integer     NOT NULL CHECK (quantity > 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT stock_movement_once_per_order UNIQUE (order_id, kind)
      )`);

    // Idempotent consumption: one row per (consumer group, message key) already handled.
    await createProcessedMessageTable(queryRunner);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropProcessedMessageTable(queryRunner);
    await queryRunner.query(`DROP TABLE stock_movement`);
    await queryRunner.query(`DROP TABLE product`);
  }
}
