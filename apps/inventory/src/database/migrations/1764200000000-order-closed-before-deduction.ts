import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Orders that were closed before inventory saw them created. ORDER_CREATED and ORDER_CLOSED travel on
 * different topics, so with a deduction backlog longer than the close delay the close can arrive first;
 * the row makes the late deduction a no-op instead of taking stock that nobody will give back.
 */
export class OrderClosedBeforeDeduction1764200000000 implements MigrationInterface {
  name = 'OrderClosedBeforeDeduction1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE order_closed_before_deduction (
        order_id  uuid        PRIMARY KEY,
        closed_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE order_closed_before_deduction`);
  }
}
