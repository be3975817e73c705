import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Status changes of reports channel-lapor does not know (yet) as LAPOR!'s (ADR 0018): a hand
 * entry's first transition can come before the entry itself. One row per transition, keyed by
 * (report, sequence), so a redelivered transition is held once. `post` is the status post as
 * LAPOR! gets it (state, sequence, time, the public note): nothing about the reporter.
 */
export class HeldStatusChanges1796053615825 implements MigrationInterface {
  name = 'HeldStatusChanges1796053615825';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE lapor_held_status_change (
        report_id      text NOT NULL,
        sequence       integer NOT NULL CHECK (sequence >= 1),
        tracking_code  text NOT NULL,
        post           jsonb NOT NULL,
        held_at        timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (report_id, sequence)
      )`);
    await db.query(`CREATE INDEX lapor_held_status_change_held_at ON lapor_held_status_change (held_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE lapor_held_status_change`);
  }
}
