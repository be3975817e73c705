import type { MigrationInterface, QueryRunner } from 'typeorm';

export class RoutingRules1764310000000 implements MigrationInterface {
  name = 'RoutingRules1764310000000';

  async up(db: QueryRunner): Promise<void> {
    // Every rule set ever in force, whole: a routed event names the version it was decided by,
    // so that version must stay readable for ever.
    await db.query(`
      CREATE TABLE routing_rule_set (
        version     integer PRIMARY KEY,
        rules       jsonb NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        created_by  text NOT NULL,
        note        text
      )`);
    await db.query(`
      CREATE TABLE routing_rule_audit (
        id          bigserial PRIMARY KEY,
        version     integer NOT NULL REFERENCES routing_rule_set(version),
        actor       text NOT NULL,
        action      text NOT NULL,
        summary     jsonb NOT NULL,
        at          timestamptz NOT NULL DEFAULT now()
      )`);
    // Open reports the duplicate finder compares new ones with.
    await db.query(`
      CREATE TABLE routing_incident (
        report_id       uuid PRIMARY KEY,
        category        text,
        kelurahan_kode  text,
        lat             double precision,
        lon             double precision,
        text_terms      text[] NOT NULL DEFAULT '{}',
        received_at     timestamptz NOT NULL,
        open            boolean NOT NULL DEFAULT true
      )`);
    await db.query(
      `CREATE INDEX routing_incident_lookup_idx ON routing_incident (category, received_at) WHERE open`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE routing_incident');
    await db.query('DROP TABLE routing_rule_audit');
    await db.query('DROP TABLE routing_rule_set');
  }
}
