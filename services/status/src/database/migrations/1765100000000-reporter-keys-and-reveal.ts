import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Privacy rules (ADR 0055).
 *
 * - `reporter_key`: each reporter's contact is sealed under its own data key, kept here wrapped
 *   by the service key. Deleting the row erases the person (crypto-shredding): the sealed contact
 *   left in `report_reporter`, in backups or in old dumps can no longer be opened, while the
 *   append-only history of the report stays. The vault writes a sealed contact as
 *   `v2.<wrapped key>.<body>`; the trigger moves the wrapped key into this table on insert, so
 *   the key never sits next to what it opens. A redelivered complaint keeps the first key.
 * - `reveal_request`: revealing a reporter's contact needs a second officer's approval.
 */
export class ReporterKeysAndReveal1765100000000 implements MigrationInterface {
  name = 'ReporterKeysAndReveal1765100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE reporter_key (
        report_id  uuid PRIMARY KEY,
        wrapped    text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE FUNCTION reporter_key_apart() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        parts text[];
      BEGIN
        IF NEW.sealed LIKE 'v2.%' THEN
          parts := string_to_array(NEW.sealed, '.');
          IF array_length(parts, 1) <> 3 OR parts[2] = '' THEN
            RAISE EXCEPTION 'sealed reporter of an unknown shape';
          END IF;
          IF NOT EXISTS (SELECT 1 FROM report_reporter WHERE report_id = NEW.report_id) THEN
            INSERT INTO reporter_key (report_id, wrapped) VALUES (NEW.report_id, parts[2])
              ON CONFLICT (report_id) DO NOTHING;
          END IF;
          NEW.sealed := 'v2..' || parts[3];
        END IF;
        RETURN NEW;
      END $$`);
    await db.query(`
      CREATE TRIGGER reporter_key_apart BEFORE INSERT ON report_reporter
        FOR EACH ROW EXECUTE FUNCTION reporter_key_apart()`);
    // Contacts sealed by an earlier migration carry their key inline: moved apart like new ones.
    await db.query(`
      INSERT INTO reporter_key (report_id, wrapped)
      SELECT report_id, split_part(sealed, '.', 2) FROM report_reporter
       WHERE sealed LIKE 'v2.%' AND split_part(sealed, '.', 2) <> ''`);
    await db.query(`
      UPDATE report_reporter SET sealed = 'v2..' || split_part(sealed, '.', 3)
       WHERE sealed LIKE 'v2.%' AND split_part(sealed, '.', 2) <> ''`);
    await db.query(`
      CREATE TABLE reveal_request (
        id            uuid PRIMARY KEY,
        report_id     uuid NOT NULL,
        requested_by  uuid NOT NULL,
        reason        text NOT NULL,
        requested_at  timestamptz NOT NULL DEFAULT now(),
        approved_by   uuid,
        approved_at   timestamptz,
        used_at       timestamptz,
        CHECK (approved_by IS NULL OR approved_by <> requested_by)
      )`);
    await db.query(`CREATE INDEX reveal_request_report ON reveal_request (report_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE reveal_request');
    await db.query('DROP TRIGGER reporter_key_apart ON report_reporter');
    await db.query('DROP FUNCTION reporter_key_apart()');
    await db.query('DROP TABLE reporter_key');
  }
}
