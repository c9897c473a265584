import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createProcessedMessageTable, dropProcessedMessageTable } from '@flashsale/service-kit';

/**
 * The notify service's first schema. Migrations are history: never edit one that has been released;
 * add a new file instead.
 */
export class InitialSchema1763946000000 implements MigrationInterface {
  name = 'InitialSchema1763946000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE notification (
        id         bigserial   PRIMARY KEY,
        order_id   uuid        NOT NULL,
        status     text        NOT NULL,
        channel    text        NOT NULL DEFAULT 'SMS',
        phone      text        NOT NULL,
        body       text        NOT NULL,
        attempts   integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at    timestamptz,
        CONSTRAINT notification_once_per_status UNIQUE (order_id, status)
      )`);

    // Idempotent consumption: one row per (consumer group, message key) already handled.
    await createProcessedMessageTable(queryRunner);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropProcessedMessageTable(queryRunner);
    await queryRunner.query(`DROP TABLE notification`);
  }
}
