import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The life of a notification as a state: PENDING (row claimed, not confirmed sent) → SENT (the
 * provider accepted it; never sent again), or FAILED (the last allowed attempt failed and the status
 * update went to the DLQ; a resent dead letter claims it again). Plus the provider's message id and
 * the last error, so retries and dead letters can be explained from the table.
 */
export class NotificationState1764000000000 implements MigrationInterface {
  name = 'NotificationState1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE notification
        ADD COLUMN state text NOT NULL DEFAULT 'PENDING'
            CONSTRAINT notification_state CHECK (state IN ('PENDING', 'SENT', 'FAILED')),
        ADD COLUMN provider_message_id text,
        ADD COLUMN last_error text`);
    await queryRunner.query(`UPDATE notification SET state = 'SENT' WHERE sent_at IS NOT NULL`);
    // Sent means sent_at is known, and the other way round.
    await queryRunner.query(`
      ALTER TABLE notification ADD CONSTRAINT notification_sent_at_when_sent
        CHECK ((state = 'SENT') = (sent_at IS NOT NULL))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE notification
        DROP CONSTRAINT notification_sent_at_when_sent,
        DROP COLUMN last_error,
        DROP COLUMN provider_message_id,
        DROP COLUMN state`);
  }
}
