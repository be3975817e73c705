import {
  candidateCategories,
  findDuplicateIn,
  type DuplicateMatch,
  type DuplicatePolicy,
  type IncidentIndex,
  type IncidentRecord,
} from '@aduan/routing';
import type { DataSource } from 'typeorm';

interface Row {
  report_id: string;
  category: string;
  kelurahan_kode: string | null;
  lat: number | null;
  lon: number | null;
  text_terms: string[];
  place_key: string | null;
  category_confidence: number | null;
  received_at: Date;
}

const METERS_PER_DEGREE = 111_320;

/**
 * Open incidents in PostgreSQL, so every router instance and every restart sees the same
 * ones. SQL narrows the candidates (the category's family, time window, a bounding box or
 * the kelurahan); the routing library makes the decision, the same code the evaluation
 * measures, and picks the incident's first report.
 */
export class PgIncidentIndex implements IncidentIndex {
  constructor(private readonly db: DataSource) {}

  async findDuplicate(probe: IncidentRecord, policy: DuplicatePolicy): Promise<DuplicateMatch | undefined> {
    const at = new Date(probe.receivedAt);
    if (Number.isNaN(at.getTime())) return undefined;
    const windowMs = policy.maxAgeHours * 3_600_000;
    const params: unknown[] = [
      candidateCategories(probe.category, policy),
      new Date(at.getTime() - windowMs),
      new Date(at.getTime() + windowMs),
      probe.id,
    ];
    let where: string;
    if (probe.point) {
      const dLat = policy.maxDistanceMeters / METERS_PER_DEGREE;
      const dLon = dLat / Math.max(0.1, Math.cos((probe.point.lat * Math.PI) / 180));
      params.push(
        probe.point.lat - dLat,
        probe.point.lat + dLat,
        probe.point.lon - dLon,
        probe.point.lon + dLon,
      );
      where = 'lat BETWEEN $5 AND $6 AND lon BETWEEN $7 AND $8';
    } else if (probe.kelurahanKode) {
      params.push(probe.kelurahanKode);
      // Text-only reports compare with every open report of the kelurahan, located or not.
      where = 'kelurahan_kode = $5';
    } else {
      return undefined;
    }
    const rows = (await this.db.query(
      `SELECT report_id, category, kelurahan_kode, lat, lon, text_terms, place_key, category_confidence,
              received_at
         FROM routing_incident
        WHERE open AND category = ANY($1::text[]) AND received_at BETWEEN $2 AND $3 AND report_id <> $4
          AND ${where}
        ORDER BY received_at
        LIMIT 200`,
      params,
    )) as Row[];
    return findDuplicateIn(
      rows.map((r) => ({
        id: r.report_id,
        category: r.category,
        ...(r.kelurahan_kode ? { kelurahanKode: r.kelurahan_kode } : {}),
        ...(r.lat !== null && r.lon !== null ? { point: { lat: r.lat, lon: r.lon } } : {}),
        receivedAt: r.received_at.toISOString(),
        textSignature: r.text_terms,
        ...(r.place_key ? { placeKey: r.place_key } : {}),
        ...(r.category_confidence !== null ? { categoryConfidence: r.category_confidence } : {}),
        at: r.received_at.getTime(),
      })),
      probe,
      policy,
    );
  }

  async add(incident: IncidentRecord): Promise<void> {
    await this.db.query(
      `INSERT INTO routing_incident
         (report_id, category, kelurahan_kode, lat, lon, text_terms, received_at, place_key, category_confidence)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (report_id) DO NOTHING`,
      [
        incident.id,
        incident.category,
        incident.kelurahanKode ?? null,
        incident.point?.lat ?? null,
        incident.point?.lon ?? null,
        incident.textSignature,
        incident.receivedAt,
        incident.placeKey ?? null,
        incident.categoryConfidence ?? null,
      ],
    );
  }

  async close(id: string): Promise<void> {
    await this.db.query('UPDATE routing_incident SET open = false WHERE report_id = $1', [id]);
  }
}
