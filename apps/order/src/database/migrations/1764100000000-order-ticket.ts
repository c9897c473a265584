import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Orders remember the purchase ticket they were created for, and why a cancelled order was cancelled.
 *
 * - `ticket` is UNIQUE: a purchase request is delivered at least once, and the unique constraint is
 *   what turns a redelivery into "find the existing order" rather than a second order. It is also how
 *   `GET /tickets/:ticket` finds the order. Nullable only because rows may predate this migration.
 * - `cancel_reason` tells a buyer's cancellation from one caused by a failed stock deduction, which a
 *   ticket reports as FAILED.
 */
export class OrderTicket1764100000000 implements MigrationInterface {
  name = 'OrderTicket1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE purchase_order ADD COLUMN ticket uuid`);
    await queryRunner.query(
      `ALTER TABLE purchase_order ADD CONSTRAINT purchase_order_ticket_key UNIQUE (ticket)`,
    );
    await queryRunner.query(`
      ALTER TABLE purchase_order ADD COLUMN cancel_reason text
        CONSTRAINT purchase_order_cancel_reason CHECK (cancel_reason IN ('BUYER', 'STOCK_DEDUCT_FAILED'))`);
    // GET /sales/:id counts orders by status.
    await queryRunner.query(
      `CREATE INDEX purchase_order_sale_status_idx ON purchase_order (sale_id, status)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX purchase_order_sale_status_idx`);
    await queryRunner.query(`ALTER TABLE purchase_order DROP COLUMN cancel_reason`);
    await queryRunner.query(`ALTER TABLE purchase_order DROP CONSTRAINT purchase_order_ticket_key`);
    await queryRunner.query(`ALTER TABLE purchase_order DROP COLUMN ticket`);
  }
}
