import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What became of each message to a citizen (`aduan.delivery.outcome.v1`), newest state per
 * message, so officers see a failed acknowledgement or notification on the report. No
 * recipient is kept: the adapters hold it only until the message is sent.
 */
export class Deliveries1764700000000 implements MigrationInterface {
  name = 'Deliveries1764700000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE report_delivery (
        delivery_id  text PRIMARY KEY,
        report_id    uuid NOT NULL,
        channel      text NOT NULL,
        kind         text NOT NULL,
        status       text NOT NULL,
        reason       text,
        at           timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX report_delivery_report_idx ON report_delivery (report_id, at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE report_delivery');
  }
}
