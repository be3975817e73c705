import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What citizens add to their reports after the first message (`aduan.complaint.followup.v1`).
 * Not a transition: it changes no state and never reaches the public timeline. No foreign key
 * on the report: a follow-up may arrive before its report and is shown once the report exists.
 */
export class CitizenFollowUps1764500000000 implements MigrationInterface {
  name = 'CitizenFollowUps1764500000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE report_follow_up (
        id                  uuid PRIMARY KEY,
        report_id           uuid NOT NULL,
        channel             text NOT NULL,
        source_id           text NOT NULL,
        source_thread       text,
        source_received_at  timestamptz NOT NULL,
        text                text NOT NULL,
        attachments         jsonb NOT NULL DEFAULT '[]',
        location            jsonb,
        received_at         timestamptz NOT NULL,
        recorded_at         timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(
      `CREATE INDEX report_follow_up_report_idx ON report_follow_up (report_id, source_received_at, id)`,
    );
    await db.query(`
      CREATE TRIGGER report_follow_up_append_only BEFORE UPDATE OR DELETE ON report_follow_up
      FOR EACH ROW EXECUTE FUNCTION refuse_history_change()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE report_follow_up');
  }
}
