import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the router decided for the last complaints, for the rules editor's preview (ADR 0075):
 * the facts routing rules match on (category, area, channel) and the outcome, unit and rule the
 * complaint got. No text, no reporter and no contact data: the facts are enough to replay rules,
 * and the table keeps only the newest rows (pruned as it grows).
 */
export class RecentRoutingInputs1765800000075 implements MigrationInterface {
  name = 'RecentRoutingInputs1765800000075';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE routing_recent_input (
        report_id       uuid PRIMARY KEY,
        tracking_code   text NOT NULL,
        channel         text NOT NULL,
        received_at     timestamptz NOT NULL,
        category        text,
        kelurahan_kode  text,
        kelurahan_nama  text,
        kecamatan_kode  text,
        kota_kode       text,
        outcome         text NOT NULL,
        held            boolean NOT NULL,
        unit_code       text,
        unit_name       text,
        rule_id         text,
        rules_version   integer,
        decided_at      timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(
      'CREATE INDEX routing_recent_input_received_idx ON routing_recent_input (received_at DESC)',
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE routing_recent_input');
  }
}
