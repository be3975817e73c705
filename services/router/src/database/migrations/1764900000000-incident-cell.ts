import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A located incident's grid cell (ADR 0063), so the duplicate lookup reads only the cells
 * around a point within the time window, however many incidents are open elsewhere. The cell
 * is derived by PostgreSQL from the point, so every writer (and every row already stored)
 * gets the one the lookup computes; `incidentCell` in pg-incident-index.ts is its twin and a
 * test holds the two equal. The (category, received_at) index served the old lookup only.
 */
export class IncidentCell1764900000000 implements MigrationInterface {
  name = 'IncidentCell1764900000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE routing_incident ADD COLUMN cell bigint GENERATED ALWAYS AS (
        floor(lat / 0.0027::float8)::bigint * 1000000 + floor(lon / 0.0027::float8)::bigint
      ) STORED`);
    await db.query(
      'CREATE INDEX routing_incident_cell_idx ON routing_incident (cell, received_at) WHERE open AND cell IS NOT NULL',
    );
    await db.query('DROP INDEX routing_incident_lookup_idx');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(
      'CREATE INDEX routing_incident_lookup_idx ON routing_incident (category, received_at) WHERE open',
    );
    await db.query('DROP INDEX routing_incident_cell_idx');
    await db.query('ALTER TABLE routing_incident DROP COLUMN cell');
  }
}
