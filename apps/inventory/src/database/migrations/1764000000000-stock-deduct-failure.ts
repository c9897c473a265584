import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Orders whose stock could not be deducted. The row is the durable decision "this order gets no
 * stock"; STOCK_DEDUCT_FAILED is published from it after the decision commits, and again on every
 * redelivery until `published_at` is set, so the announcement cannot be lost between commit and send.
 */
export class StockDeductFailure1764000000000 implements MigrationInterface {
  name = 'StockDeductFailure1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE stock_deduct_failure (
        order_id     uuid        PRIMARY KEY,
        sale_id      text        NOT NULL,
        sku          text        NOT NULL,
        quantity     integer     NOT NULL CHECK (quantity > 0),
        reason       text        NOT NULL
                     CONSTRAINT stock_deduct_failure_reason CHECK (reason IN ('INSUFFICIENT_STOCK', 'UNKNOWN_SKU')),
        failed_at    timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE stock_deduct_failure`);
  }
}
