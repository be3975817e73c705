import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The reporter book (ADR 0058): the contact behind each pseudonymous reference, sealed under a
 * data key of its own that lives in another table, so deleting the key erases the person; and
 * the link from each report to its reference.
 */
export class ReporterBook1765200000000 implements MigrationInterface {
  name = 'ReporterBook1765200000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE channel_reporter (
        channel         text NOT NULL,
        ref             text NOT NULL,
        contact_sealed  text NOT NULL,
        created_at      timestamptz NOT NULL DEFAULT now(),
        updated_at      timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (channel, ref)
      )`);
    await db.query(`
      CREATE TABLE channel_reporter_key (
        channel      text NOT NULL,
        ref          text NOT NULL,
        wrapped_key  text NOT NULL,
        PRIMARY KEY (channel, ref)
      )`);
    await db.query(`
      CREATE TABLE channel_report_reporter (
        channel    text NOT NULL,
        report_id  uuid NOT NULL,
        ref        text NOT NULL,
        PRIMARY KEY (channel, report_id)
      )`);
    await db.query(`CREATE INDEX channel_report_reporter_ref ON channel_report_reporter (channel, ref)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE channel_report_reporter');
    await db.query('DROP TABLE channel_reporter_key');
    await db.query('DROP TABLE channel_reporter');
  }
}
