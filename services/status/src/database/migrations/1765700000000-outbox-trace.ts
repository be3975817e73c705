import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The trace context of the transaction that wrote each outbox row (ADR 0070): the relay
 * publishes the row inside it, so a lifecycle event or a notification continues the trace of
 * the complaint or the officer's request that caused it. Rows written before stay without one.
 */
export class OutboxTrace1765700000000 implements MigrationInterface {
  name = 'OutboxTrace1765700000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE outbox ADD COLUMN trace jsonb`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE outbox DROP COLUMN trace`);
  }
}
