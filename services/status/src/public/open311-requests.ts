import { LIFECYCLE_STATES, type Area, type LifecycleState, type Unit } from '@aduan/contracts';
import type { DataSource } from 'typeorm';

/**
 * What the Open311 front (channel-open311, ADR 0051) lists: public reports and their public
 * transitions, field by field. Nothing about a reporter, never the text itself (only the public
 * description of ADR 0037), and no confidential report at all. The location is rounded to three
 * decimals (about 110 m), enough to place a pothole on a map, too coarse to point at a front door.
 * A private report is listed nowhere; asked for by its code it shows its state only.
 */
export interface Open311Report {
  trackingCode: string;
  state: LifecycleState;
  updatedAt: string;
  /** Absent on a private report, with everything below. */
  category?: string | null;
  unit?: Unit | null;
  area?: Area | null;
  description?: string | null;
  lat?: number | null;
  lon?: number | null;
  receivedAt?: string | null;
  /** The latest public note of an officer, if any. */
  lastNote?: string | null;
}

export interface Open311Update {
  /** The transition's own id: stable, increasing, unique. */
  id: string;
  trackingCode: string;
  state: LifecycleState;
  at: string;
  note: string | null;
  evidence: Array<{ url: string; contentType: string }>;
}

export interface ReportQuery {
  codes?: string[];
  categories?: string[];
  states?: LifecycleState[];
  /** Left out when codes are given: a report asked for by its code is found whenever it came. */
  from?: Date;
  to?: Date;
  limit: number;
  offset: number;
}

interface ReportRow {
  tracking_code: string;
  state: LifecycleState;
  visibility: string;
  category: string | null;
  unit: Unit | null;
  area: Area | null;
  public_text: string | null;
  lat: number | null;
  lon: number | null;
  received_at: Date | null;
  updated_at: Date;
  last_note: string | null;
}

function fromRow(r: ReportRow): Open311Report {
  const shown = { trackingCode: r.tracking_code, state: r.state, updatedAt: r.updated_at.toISOString() };
  if (r.visibility !== 'public') return shown;
  return {
    ...shown,
    category: r.category,
    unit: r.unit,
    area: r.area,
    description: r.public_text,
    lat: r.lat,
    lon: r.lon,
    receivedAt: r.received_at ? r.received_at.toISOString() : null,
    lastNote: r.last_note,
  };
}

export function isLifecycleState(s: string): s is LifecycleState {
  return (LIFECYCLE_STATES as readonly string[]).includes(s);
}

/**
 * Reports received in [from, to), newest first. Asked by codes, a private report is included
 * (with its state only); a listing without codes holds public reports only.
 */
export async function findOpen311Reports(db: DataSource, q: ReportQuery): Promise<Open311Report[]> {
  const rows = (await db.query(
    `SELECT r.tracking_code, r.state, r.visibility, r.category, r.unit, r.area, r.public_text,
            round(r.lat::numeric, 3)::float8 AS lat, round(r.lon::numeric, 3)::float8 AS lon,
            r.received_at, r.updated_at,
            (SELECT t.public_note FROM report_transition t
              WHERE t.report_id = r.id AND t.public_note IS NOT NULL
              ORDER BY t.at DESC, t.id DESC LIMIT 1) AS last_note
       FROM report r
      WHERE NOT r.confidential
        AND ($1::text[] IS NULL OR r.tracking_code = ANY($1))
        AND ($1::text[] IS NOT NULL OR r.visibility = 'public')
        AND ($2::text[] IS NULL OR r.category = ANY($2))
        AND ($3::text[] IS NULL OR r.state = ANY($3))
        AND ($4::timestamptz IS NULL OR COALESCE(r.received_at, r.created_at) >= $4)
        AND ($5::timestamptz IS NULL OR COALESCE(r.received_at, r.created_at) < $5)
      ORDER BY COALESCE(r.received_at, r.created_at) DESC, r.tracking_code
      LIMIT $6 OFFSET $7`,
    [
      q.codes ?? null,
      q.categories ?? null,
      q.states ?? null,
      q.from ?? null,
      q.to ?? null,
      q.limit,
      q.offset,
    ],
  )) as ReportRow[];
  return rows.map(fromRow);
}

/** Public transitions of public reports made in [from, to), oldest first. */
export async function findOpen311Updates(
  db: DataSource,
  q: { from: Date; to: Date; limit: number; offset: number },
): Promise<Open311Update[]> {
  const rows = (await db.query(
    `SELECT t.id::text AS id, r.tracking_code, t.to_state, t.at, t.public_note, t.evidence
       FROM report_transition t JOIN report r ON r.id = t.report_id
      WHERE NOT r.confidential AND r.visibility = 'public' AND t.at >= $1 AND t.at < $2
      ORDER BY t.at, t.id
      LIMIT $3 OFFSET $4`,
    [q.from, q.to, q.limit, q.offset],
  )) as Array<{
    id: string;
    tracking_code: string;
    to_state: LifecycleState;
    at: Date;
    public_note: string | null;
    evidence: Array<{ url: string; contentType: string }>;
  }>;
  return rows.map((r) => ({
    id: r.id,
    trackingCode: r.tracking_code,
    state: r.to_state,
    at: r.at.toISOString(),
    note: r.public_note,
    evidence: r.evidence.map((e) => ({ url: e.url, contentType: e.contentType })),
  }));
}
