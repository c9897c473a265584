import { type QueryRunner } from 'typeorm';

/**
 * DDL of the `processed_message` table that every service's first migration creates: one row per
 * (consumer group, message key) that group has already applied. See consume-once.ts.
 */
export async function createProcessedMessageTable(queryRunner: QueryRunner): Promise<void> {
  await queryRunner.query(`
    CREATE TABLE processed_message (
      consumer_group text        NOT NULL,
      message_key    text        NOT NULL,
      processed_at   timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (consumer_group, message_key)
    )`);
}

export async function dropProcessedMessageTable(queryRunner: QueryRunner): Promise<void> {
  await queryRunner.query(`DROP TABLE processed_message`);
}
