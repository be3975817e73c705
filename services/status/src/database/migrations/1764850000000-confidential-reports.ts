import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A confidential report (LAPOR!'s `rahasia`) is shown on no public surface, not even to someone
 * holding its tracking code: its reporter follows it where they made it. Reports stored before
 * were never confidential.
 */
export class ConfidentialReports1764850000000 implements MigrationInterface {
  name = 'ConfidentialReports1764850000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE report ADD COLUMN confidential boolean NOT NULL DEFAULT false`);
    await db.query(
      `COMMENT ON COLUMN report.confidential IS 'True: no public surface shows the report (the public API answers 404)'`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE report DROP COLUMN confidential');
  }
}
