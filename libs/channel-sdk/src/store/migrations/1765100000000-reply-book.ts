import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `channel_reply_book`: how the adapter answers the citizen of each report it opened, sealed.
 * Notifications name only the report (ADR 0055); the adapter finds the recipient here (or in the
 * report's conversation), so a notification forged on the bus cannot choose who receives it.
 */
export class ReplyBook1765100000000 implements MigrationInterface {
  name = 'ReplyBook1765100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE channel_reply_book (
        channel          text NOT NULL,
        report_id        uuid NOT NULL,
        reply_to_sealed  text NOT NULL,
        created_at       timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (channel, report_id)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE channel_reply_book');
  }
}
