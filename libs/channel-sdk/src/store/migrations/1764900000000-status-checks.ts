import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every "cek <code>" a sender asked, so a sender is answered a limited number of times an hour
 * (ADR 0049) on whichever instance of whichever adapter took the message. Only the keyed hash of
 * the address and the time: neither who asked nor which code.
 */
export class StatusChecks1764900000000 implements MigrationInterface {
  name = 'StatusChecks1764900000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE channel_status_check (
        channel       text NOT NULL,
        source_id     text NOT NULL,
        address_hash  text NOT NULL,
        checked_at    timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (channel, source_id)
      )`);
    await db.query(
      `CREATE INDEX channel_status_check_sender ON channel_status_check (channel, address_hash, checked_at)`,
    );
    await db.query(`CREATE INDEX channel_status_check_age ON channel_status_check (checked_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE channel_status_check`);
  }
}
