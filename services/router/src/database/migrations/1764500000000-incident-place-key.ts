import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Text-only reports of one incident often name the same landmark in different words; the
 * landmark lets the duplicate finder accept a lower word overlap. The category's certainty
 * decides whether a duplicate takes the incident's category or keeps its own. Lookups now span a family
 * of categories and the kelurahan, so the kelurahan gets its own index.
 */
export class IncidentPlaceKey1764500000000 implements MigrationInterface {
  name = 'IncidentPlaceKey1764500000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE routing_incident ADD COLUMN place_key text');
    await db.query('ALTER TABLE routing_incident ADD COLUMN category_confidence real');
    await db.query(
      'CREATE INDEX routing_incident_kelurahan_idx ON routing_incident (kelurahan_kode, received_at) WHERE open',
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP INDEX routing_incident_kelurahan_idx');
    await db.query('ALTER TABLE routing_incident DROP COLUMN category_confidence');
    await db.query('ALTER TABLE routing_incident DROP COLUMN place_key');
  }
}
