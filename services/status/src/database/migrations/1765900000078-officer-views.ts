import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The queue filters an officer saved under a name (ADR 0078): theirs alone, a bounded handful
 * each, one per name whatever its case. The filters are the console's view, validated as a
 * search before they are stored; they hold no personal data beyond the words an officer searched.
 */
export class OfficerViews1765900000078 implements MigrationInterface {
  name = 'OfficerViews1765900000078';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE officer_view (
        id          uuid PRIMARY KEY,
        officer_id  uuid NOT NULL REFERENCES officer (id) ON DELETE CASCADE,
        name        text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 60),
        filters     jsonb NOT NULL,
        created_at  timestamptz NOT NULL
      )`);
    await db.query(`CREATE UNIQUE INDEX officer_view_name_idx ON officer_view (officer_id, lower(name))`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE officer_view');
  }
}
