import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every committed change that may alter a report's public view sends its tracking code on the
 * channel `report_public_change`, so that every status instance holding a live tracking stream
 * for it re-reads the view (ADR 0047). PostgreSQL delivers a notification only at commit and
 * folds identical ones within a transaction, so a transition that writes several rows sends one.
 * A report merged into another also changes the other's follower count: both codes are sent.
 */
export class PublicChangeNotify1764960000000 implements MigrationInterface {
  name = 'PublicChangeNotify1764960000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION notify_report_public_change() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        changed uuid;
        code text;
        master text;
      BEGIN
        -- Two statements, not one CASE: each reads a column only the one table has.
        IF TG_TABLE_NAME = 'report' THEN changed := NEW.id; ELSE changed := NEW.report_id; END IF;
        SELECT r.tracking_code, m.tracking_code INTO code, master
          FROM report r LEFT JOIN report m ON m.id = r.merged_into WHERE r.id = changed;
        IF code IS NOT NULL THEN PERFORM pg_notify('report_public_change', code); END IF;
        IF master IS NOT NULL THEN PERFORM pg_notify('report_public_change', master); END IF;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER report_public_change AFTER INSERT OR UPDATE ON report
        FOR EACH ROW EXECUTE FUNCTION notify_report_public_change()`);
    await db.query(`
      CREATE TRIGGER report_transition_public_change AFTER INSERT OR UPDATE ON report_transition
        FOR EACH ROW EXECUTE FUNCTION notify_report_public_change()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TRIGGER report_transition_public_change ON report_transition');
    await db.query('DROP TRIGGER report_public_change ON report');
    await db.query('DROP FUNCTION notify_report_public_change()');
  }
}
