import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What officers say to a report's citizen (ADR 0074): a question, which waits for the citizen's
 * answer, or plain information. The text is the officer's and may name people: it is shown to
 * officers and sent to the citizen, never published or logged. An answer is the citizen's
 * follow-up that ended the wait. Inserting or answering one notifies the report's change, so
 * open consoles re-read the detail (ADR 0047's trigger function).
 */
export class OfficerMessages1765810000000 implements MigrationInterface {
  name = 'OfficerMessages1765810000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE report_message (
        id                  uuid PRIMARY KEY,
        report_id           uuid NOT NULL REFERENCES report (id),
        kind                text NOT NULL CHECK (kind IN ('question', 'message')),
        text                text NOT NULL,
        author_id           uuid NOT NULL,
        channel             text NOT NULL,
        at                  timestamptz NOT NULL,
        answer_follow_up_id uuid,
        answered_at         timestamptz
      )`);
    await db.query(`CREATE INDEX report_message_report_idx ON report_message (report_id, at, id)`);
    // The open questions of a report, which the citizen's next message answers.
    await db.query(
      `CREATE INDEX report_message_open_idx ON report_message (report_id) WHERE kind = 'question' AND answered_at IS NULL`,
    );
    await db.query(`
      CREATE TRIGGER report_message_change AFTER INSERT OR UPDATE ON report_message
        FOR EACH ROW EXECUTE FUNCTION notify_report_public_change()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TRIGGER report_message_change ON report_message');
    await db.query('DROP TABLE report_message');
  }
}
