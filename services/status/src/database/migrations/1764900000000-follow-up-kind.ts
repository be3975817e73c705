import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a follow-up is (`aduan.complaint.followup.v1` `kind`): more from the citizen, or an edit
 * or a deletion of what they wrote before (Meta channels, ADR 0017). Rows from before are
 * messages. Adding a column with a constant default rewrites no row, so the append-only trigger
 * of the table is not involved.
 */
export class FollowUpKind1764900000000 implements MigrationInterface {
  name = 'FollowUpKind1764900000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE report_follow_up ADD COLUMN kind text NOT NULL DEFAULT 'message'
        CONSTRAINT report_follow_up_kind_check CHECK (kind IN ('message', 'edit', 'deletion'))`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE report_follow_up DROP COLUMN kind');
  }
}
