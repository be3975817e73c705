import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The change notification of ADR 0047: the changed report's code, its master's, and with
 * `followers` those of the reports merged into it.
 */
function notifyFunction(followers: boolean): string {
  return `
    CREATE OR REPLACE FUNCTION notify_report_public_change() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      changed uuid;
      code text;
      master text;
      follower text;
    BEGIN
      IF TG_TABLE_NAME = 'report' THEN changed := NEW.id; ELSE changed := NEW.report_id; END IF;
      SELECT r.tracking_code, m.tracking_code INTO code, master
        FROM report r LEFT JOIN report m ON m.id = r.merged_into WHERE r.id = changed;
      IF code IS NOT NULL THEN PERFORM pg_notify('report_public_change', code); END IF;
      IF master IS NOT NULL THEN PERFORM pg_notify('report_public_change', master); END IF;
      ${
        followers
          ? `FOR follower IN SELECT tracking_code FROM report WHERE merged_into = changed LOOP
        PERFORM pg_notify('report_public_change', follower);
      END LOOP;`
          : ''
      }
      RETURN NULL;
    END $$`;
}

/**
 * A merged report's public view shows its incident (the master's state) under its own code (ADR
 * 0055), so a change of the master changes every follower's view too: the change notification
 * now also sends the codes of the reports merged into the changed one.
 */
export class FollowersHearTheirIncident1765100000001 implements MigrationInterface {
  name = 'FollowersHearTheirIncident1765100000001';

  async up(db: QueryRunner): Promise<void> {
    await db.query(notifyFunction(true));
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(notifyFunction(false));
  }
}
