import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createProcessedMessageTable, dropProcessedMessageTable } from '@flashsale/service-kit';

/**
 * The order service's first schema. Migrations are history: never edit one that has been released;
 * add a new file instead.
 */
export class InitialSchema1763946000000 implements MigrationInterface {
  name = 'InitialSchema1763946000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE flash_sale (
        id             uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        sku            text        NOT NULL,
        title          text        NOT NULL,
        price_cents    integer     NOT NULL CHECK (price_cents >= 0),
        quantity       integer     NOT NULL CHECK (quantity >= 0),
        per_user_limit integer     NOT NULL DEFAULT 1 CHECK (per_user_limit > 0),
        starts_at      timestamptz NOT NULL,
        ends_at        timestamptz NOT NULL,
        created_at     timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT flash_sale_window CHECK (ends_at > starts_at)
      )`);

    await queryRunner.query(`
      CREATE TABLE purchase_order (
        id           uuid        PRIMARY KEY,
        sale_id      uuid        NOT NULL REFERENCES flash_sale (id),
        user_id      text        NOT NULL,
        quantity     integer     NOT NULL CHECK (quantity > 0),
        status       text        NOT NULL DEFAULT 'CREATED'
                                 CONSTRAINT purchase_order_status
                                 CHECK (status IN ('CREATED', 'PAID', 'CLOSED', 'CANCELLED')),
        amount_cents integer     NOT NULL CHECK (amount_cents >= 0),
        created_at   timestamptz NOT NULL DEFAULT now(),
        updated_at   timestamptz NOT NULL DEFAULT now(),
        paid_at      timestamptz,
        closed_at    timestamptz
      )`);
    // The per-user limit and "my orders in this sale" look orders up by sale and user.
    await queryRunner.query(`CREATE INDEX purchase_order_sale_user_idx ON purchase_order (sale_id, user_id)`);

    // Idempotent consumption: one row per (consumer group, message key) already handled.
    await createProcessedMessageTable(queryRunner);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropProcessedMessageTable(queryRunner);
    await queryRunner.query(`DROP TABLE purchase_order`);
    await queryRunner.query(`DROP TABLE flash_sale`);
  }
}
