import {
  candidateCategories,
  findDuplicateIn,
  type DuplicateMatch,
  type DuplicatePolicy,
  type IncidentIndex,
  type IncidentRecord,
  type LatLon,
} from '@aduan/routing';
import type { DataSource, QueryRunner } from 'typeorm';

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

/** A DataSource, or a QueryRunner holding one transaction. */
interface Sql {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

const METERS_PER_DEGREE = 111_320;

/**
 * The grid cell's side in degrees (about 300 m, twice the default duplicate radius, so a
 * lookup reads at most four cells). The migration that derives `cell` holds the same figure.
 */
export const CELL_DEGREES = 0.0027;

/** The advisory-lock class of incident decisions (two-key form, apart from every one-key lock). */
const INCIDENT_LOCK_SPACE = 0x0c311;

/** The cell of a point, exactly as the generated column `routing_incident.cell` computes it. */
export function incidentCell(p: LatLon): number {
  return Math.floor(p.lat / CELL_DEGREES) * 1_000_000 + Math.floor(p.lon / CELL_DEGREES);
}

/** Degrees of latitude and longitude spanning `meters` around a point. */
function span(p: LatLon, meters: number): { dLat: number; dLon: number } {
  const dLat = meters / METERS_PER_DEGREE;
  return { dLat, dLon: dLat / Math.max(0.1, Math.cos((p.lat * Math.PI) / 180)) };
}

/** Every cell the square of side 2 × `meters` around a point touches. */
export function cellsAround(p: LatLon, meters: number): number[] {
  const { dLat, dLon } = span(p, meters);
  const cells: number[] = [];
  for (let i = Math.floor((p.lat - dLat) / CELL_DEGREES); i <= Math.floor((p.lat + dLat) / CELL_DEGREES); i++)
    for (
      let j = Math.floor((p.lon - dLon) / CELL_DEGREES);
      j <= Math.floor((p.lon + dLon) / CELL_DEGREES);
      j++
    )
      cells.push(i * 1_000_000 + j);
  return cells;
}

/** FNV-1a: a stable 32-bit lock key, the same in every instance. */
function lockKey(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h | 0;
}

/**
 * The locks a decision on this probe takes: every cell its lookup reads (two points within the
 * radius always share one: the cell of either), or its kelurahan when it has no point. Sorted,
 * so two decisions needing overlapping sets take them in one order and never deadlock.
 */
export function incidentLocks(probe: IncidentRecord, policy: DuplicatePolicy): number[] {
  const names = probe.point
    ? cellsAround(probe.point, policy.maxDistanceMeters).map((c) => `cell:${c}`)
    : probe.kelurahanKode
      ? [`kelurahan:${probe.kelurahanKode}`]
      : [];
  return [...new Set(names.map(lockKey))].sort((a, b) => a - b);
}

/**
 * The candidates' query: a probe with a point reads the cells around it (index
 * `routing_incident_cell_idx`), one without reads its kelurahan (`routing_incident_kelurahan_idx`),
 * both only within the time window, so the cost follows the incidents near the probe, not all
 * the open ones. Undefined when the probe can have no duplicate.
 */
export function duplicateLookup(
  probe: IncidentRecord,
  policy: DuplicatePolicy,
): { sql: string; params: unknown[] } | undefined {
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
    const { dLat, dLon } = span(probe.point, policy.maxDistanceMeters);
    params.push(
      cellsAround(probe.point, policy.maxDistanceMeters),
      probe.point.lat - dLat,
      probe.point.lat + dLat,
      probe.point.lon - dLon,
      probe.point.lon + dLon,
    );
    where = 'cell = ANY($5::bigint[]) AND lat BETWEEN $6 AND $7 AND lon BETWEEN $8 AND $9';
  } else if (probe.kelurahanKode) {
    params.push(probe.kelurahanKode);
    // Text-only reports compare with every open report of the kelurahan, located or not.
    where = 'kelurahan_kode = $5';
  } else {
    return undefined;
  }
  return {
    sql: `SELECT report_id, category, kelurahan_kode, lat, lon, text_terms, place_key, category_confidence,
                 received_at
            FROM routing_incident
           WHERE open AND ${where} AND received_at BETWEEN $2 AND $3
             AND category = ANY($1::text[]) AND report_id <> $4
           ORDER BY received_at
           LIMIT 200`,
    params,
  };
}

async function lookup(
  sql: Sql,
  probe: IncidentRecord,
  policy: DuplicatePolicy,
): Promise<DuplicateMatch | undefined> {
  const query = duplicateLookup(probe, policy);
  if (!query) return undefined;
  const rows = (await sql.query(query.sql, query.params)) as Row[];
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

async function insert(sql: Sql, incident: IncidentRecord): Promise<void> {
  await sql.query(
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

/**
 * Open incidents in PostgreSQL, so every router instance and every restart sees the same
 * ones. SQL narrows the candidates (the category's family, time window, the cells around the
 * point or the kelurahan); the routing library makes the decision, the same code the
 * evaluation measures, and picks the incident's first report.
 */
export class PgIncidentIndex implements IncidentIndex {
  constructor(private readonly db: DataSource) {}

  /**
   * Runs decisions with their lookups and new incidents in one transaction, under
   * transaction-scoped advisory locks on the cells (or the kelurahan) the lookups read: of two
   * reports of one incident decided at once by two instances, the second waits, then sees the
   * first one's incident and becomes its duplicate. `locks` (sorted, from `incidentLocks`) are
   * taken at once before `work` runs, so a batch's decisions hold all they need in one order and
   * two instances never deadlock; a lookup locks what it still lacks itself. The transaction
   * starts only when there is something to lock, and it is committed before this returns, so the
   * caller publishes decisions whose incidents are already visible to every instance. A failed
   * statement fails the whole (`decide` would swallow it, and the aborted transaction would
   * silently roll back incidents that published decisions name).
   */
  async atomically<T>(
    work: (incidents: IncidentIndex) => Promise<T>,
    locks: readonly number[] = [],
  ): Promise<T> {
    const scope = new LockedIncidents(this.db);
    try {
      await scope.lock(locks);
      const result = await work(scope);
      await scope.commit();
      return result;
    } finally {
      await scope.release();
    }
  }

  findDuplicate(probe: IncidentRecord, policy: DuplicatePolicy): Promise<DuplicateMatch | undefined> {
    return lookup(this.db, probe, policy);
  }

  add(incident: IncidentRecord): Promise<void> {
    return insert(this.db, incident);
  }

  async close(id: string): Promise<void> {
    await this.db.query('UPDATE routing_incident SET open = false WHERE report_id = $1', [id]);
  }
}

/** One transaction's view of the incidents, opened by the first lock or statement. */
class LockedIncidents implements IncidentIndex {
  private runner: QueryRunner | undefined;
  private readonly held = new Set<number>();
  private failure: unknown;

  constructor(private readonly db: DataSource) {}

  /** Takes the keys not held yet, in ascending order. */
  async lock(keys: readonly number[]): Promise<void> {
    const missing = [...new Set(keys)].filter((k) => !this.held.has(k)).sort((a, b) => a - b);
    if (!missing.length) return;
    // unnest yields the keys in the array's (sorted) order, and each is locked as it comes.
    await this.run((tx) =>
      tx.query('SELECT pg_advisory_xact_lock($1::int, k) FROM unnest($2::int[]) AS k', [
        INCIDENT_LOCK_SPACE,
        missing,
      ]),
    );
    for (const k of missing) this.held.add(k);
  }

  async findDuplicate(probe: IncidentRecord, policy: DuplicatePolicy): Promise<DuplicateMatch | undefined> {
    if (!duplicateLookup(probe, policy)) return undefined;
    await this.lock(incidentLocks(probe, policy));
    // Read committed: this statement's snapshot is taken after the locks were granted, so it
    // sees the incident a previous holder committed, and this transaction's own.
    return this.run((tx) => lookup(tx, probe, policy));
  }

  add(incident: IncidentRecord): Promise<void> {
    return this.run((tx) => insert(tx, incident));
  }

  async close(id: string): Promise<void> {
    await this.run((tx) => tx.query('UPDATE routing_incident SET open = false WHERE report_id = $1', [id]));
  }

  async commit(): Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    if (this.runner?.isTransactionActive) await this.runner.commitTransaction();
  }

  async release(): Promise<void> {
    const runner = this.runner;
    if (!runner) return;
    this.runner = undefined;
    try {
      // Only after a failure before the commit: dropping the connection would roll back too.
      if (runner.isTransactionActive) await runner.rollbackTransaction();
    } finally {
      await runner.release();
    }
  }

  /** Remembers a failure: the transaction is aborted, so it must not look committed. */
  private async run<T>(statement: (tx: QueryRunner) => Promise<T>): Promise<T> {
    try {
      return await statement(await this.transaction());
    } catch (err) {
      this.failure ??= err;
      throw err;
    }
  }

  private async transaction(): Promise<QueryRunner> {
    if (this.runner) return this.runner;
    const runner = this.db.createQueryRunner();
    this.runner = runner;
    await runner.connect();
    await runner.startTransaction();
    return runner;
  }
}
