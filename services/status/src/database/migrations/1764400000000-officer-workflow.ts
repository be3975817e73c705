import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Officers, units, assignment, notes, audit, evidence and SLA clocks. */
export class OfficerWorkflow1764400000000 implements MigrationInterface {
  name = 'OfficerWorkflow1764400000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE unit (
        code         text PRIMARY KEY,
        name         text NOT NULL,
        kind         text NOT NULL,
        parent_code  text
      )`);
    await db.query(`
      CREATE TABLE officer (
        id             uuid PRIMARY KEY,
        username       text NOT NULL UNIQUE,
        display_name   text NOT NULL,
        role           text NOT NULL CHECK (role IN ('admin', 'crm_officer', 'unit_officer', 'validator')),
        unit_code      text REFERENCES unit(code),
        capacity       integer NOT NULL DEFAULT 10 CHECK (capacity >= 0),
        password_hash  text NOT NULL,
        created_at     timestamptz NOT NULL DEFAULT now(),
        CHECK (role <> 'unit_officer' OR unit_code IS NOT NULL)
      )`);
    await db.query(
      `ALTER TABLE report ADD COLUMN assignee uuid REFERENCES officer(id), ADD COLUMN assigned_at timestamptz`,
    );
    await db.query(`CREATE INDEX report_unit_idx ON report ((unit->>'code'), state)`);
    await db.query(
      `CREATE INDEX report_merged_into_idx ON report (merged_into) WHERE merged_into IS NOT NULL`,
    );

    await db.query(`
      CREATE TABLE report_note (
        id         uuid PRIMARY KEY,
        report_id  uuid NOT NULL REFERENCES report(id),
        author_id  uuid NOT NULL REFERENCES officer(id),
        text       text NOT NULL,
        at         timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX report_note_report_idx ON report_note (report_id, at)`);

    // Who was refused what, and who read whose contact data.
    await db.query(`
      CREATE TABLE audit_log (
        id         bigserial PRIMARY KEY,
        at         timestamptz NOT NULL DEFAULT now(),
        officer_id uuid,
        role       text,
        unit_code  text,
        action     text NOT NULL,
        outcome    text NOT NULL CHECK (outcome IN ('granted', 'denied')),
        report_id  uuid,
        detail     jsonb NOT NULL DEFAULT '{}'
      )`);

    await db.query(`
      CREATE TABLE evidence (
        id            uuid PRIMARY KEY,
        report_id     uuid NOT NULL REFERENCES report(id),
        uploaded_by   uuid NOT NULL REFERENCES officer(id),
        uploaded_at   timestamptz NOT NULL DEFAULT now(),
        content_type  text NOT NULL,
        size          integer NOT NULL,
        sha256        text NOT NULL,
        dhash         bigint NOT NULL,
        storage_key   text NOT NULL,
        exif          jsonb NOT NULL DEFAULT '{}',
        flags         jsonb NOT NULL DEFAULT '[]'
      )`);
    await db.query(`CREATE INDEX evidence_report_idx ON evidence (report_id)`);

    for (const table of ['report_note', 'audit_log', 'evidence']) {
      await db.query(`
        CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table}
        FOR EACH ROW EXECUTE FUNCTION refuse_history_change()`);
    }

    await db.query(`
      CREATE TABLE sla_clock (
        report_id   uuid NOT NULL REFERENCES report(id),
        stage       text NOT NULL,
        started_at  timestamptz NOT NULL,
        due_at      timestamptz NOT NULL,
        met_at      timestamptz,
        PRIMARY KEY (report_id, stage)
      )`);
    await db.query(`CREATE INDEX sla_clock_open_idx ON sla_clock (due_at) WHERE met_at IS NULL`);
    // The unique key is what makes an escalation fire once, however many schedulers run.
    await db.query(`
      CREATE TABLE sla_escalation (
        report_id    uuid NOT NULL REFERENCES report(id),
        stage        text NOT NULL,
        level        integer NOT NULL,
        target_unit  text NOT NULL,
        at           timestamptz NOT NULL,
        PRIMARY KEY (report_id, stage, level)
      )`);
    await db.query(`
      CREATE TABLE officer_notification (
        id         uuid PRIMARY KEY,
        unit_code  text NOT NULL,
        report_id  uuid NOT NULL REFERENCES report(id),
        kind       text NOT NULL,
        message    text NOT NULL,
        at         timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX officer_notification_unit_idx ON officer_notification (unit_code, at DESC)`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const t of [
      'officer_notification',
      'sla_escalation',
      'sla_clock',
      'evidence',
      'audit_log',
      'report_note',
    ]) {
      await db.query(`DROP TABLE ${t}`);
    }
    await db.query('ALTER TABLE report DROP COLUMN assignee, DROP COLUMN assigned_at');
    await db.query('DROP TABLE officer');
    await db.query('DROP TABLE unit');
  }
}
