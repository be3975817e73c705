import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A password an admin reset is a one-time password: it lets its officer in only to choose a new
 * one, and only until it expires (ADR 0075).
 */
export class OfficerPasswordReset1765800000075 implements MigrationInterface {
  name = 'OfficerPasswordReset1765800000075';

  async up(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE officer ADD COLUMN password_one_time_until timestamptz');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE officer DROP COLUMN password_one_time_until');
  }
}
