import { channelLabel, type LifecycleState } from '@aduan/contracts';
import type { DataSource } from 'typeorm';
import { OPEN_STATES } from '../lifecycle/state-machine';
import { TIME_ZONE, type ReportDimension, type StatsQuery } from './stats-range';

/*
 * Every figure is computed here, in SQL, from the report, its append-only transitions and its
 * SLA clocks: the same range and the same moment give the same answer, and nothing is kept as a
 * counter that could drift from the history. All figures cover the reports *received* in the
 * range (Jakarta days). Confidential reports count like any other; no answer lists a report.
 */

/** The reports of the range: received from the start of `from` to the end of `to`, Jakarta time. */
const SCOPE = `
  scope AS (
    SELECT r.* FROM report r
     WHERE r.received_at >= ($1::date)::timestamp AT TIME ZONE '${TIME_ZONE}'
       AND r.received_at < ($2::date + 1)::timestamp AT TIME ZONE '${TIME_ZONE}')`;

export interface CountRow {
  key: string | null;
  label: string;
  reports: number;
}

const UNKNOWN_LABEL: Record<Exclude<ReportDimension, 'day'>, string> = {
  channel: 'Tidak diketahui',
  category: 'Belum dikategorikan',
  kota: 'Lokasi belum diketahui',
  kecamatan: 'Lokasi belum diketahui',
  kelurahan: 'Lokasi belum diketahui',
  unit: 'Belum ada unit',
};

/** Key and label of each breakdown, as SQL over a `scope` row `r`. */
const DIMENSION_SQL: Record<Exclude<ReportDimension, 'day'>, { key: string; label: string }> = {
  channel: { key: 'r.channel', label: 'r.channel' },
  category: { key: 'r.category', label: 'r.category' },
  kota: { key: `r.area->'kota'->>'kode'`, label: `r.area->'kota'->>'nama'` },
  kecamatan: { key: `r.area->'kecamatan'->>'kode'`, label: `r.area->'kecamatan'->>'nama'` },
  kelurahan: { key: `r.area->'kelurahan'->>'kode'`, label: `r.area->'kelurahan'->>'nama'` },
  unit: { key: `r.unit->>'code'`, label: `coalesce(u.name, r.unit->>'name')` },
};

export async function reportsBy(db: DataSource, q: StatsQuery): Promise<CountRow[]> {
  if (q.by === 'day') {
    // Every day of the range, the quiet ones as 0: a chart with gaps would mislead.
    const rows = (await db.query(
      `WITH ${SCOPE}
       SELECT to_char(d, 'YYYY-MM-DD') AS key, count(r.id)::int AS reports
         FROM generate_series($1::date, $2::date, interval '1 day') AS d
         LEFT JOIN scope r ON (r.received_at AT TIME ZONE '${TIME_ZONE}')::date = d::date
        GROUP BY d ORDER BY d`,
      [q.from, q.to],
    )) as Array<{ key: string; reports: number }>;
    return rows.map((r) => ({ key: r.key, label: r.key, reports: r.reports }));
  }
  const dim = DIMENSION_SQL[q.by];
  const rows = (await db.query(
    `WITH ${SCOPE}
     SELECT ${dim.key} AS key, max(${dim.label}) AS label, count(*)::int AS reports
       FROM scope r LEFT JOIN unit u ON u.code = r.unit->>'code'
      GROUP BY 1 ORDER BY reports DESC, key NULLS LAST`,
    [q.from, q.to],
  )) as Array<{ key: string | null; label: string | null; reports: number }>;
  return rows.map((r) => ({
    key: r.key,
    label:
      r.key === null
        ? UNKNOWN_LABEL[q.by as Exclude<ReportDimension, 'day'>]
        : q.by === 'channel'
          ? channelLabel(r.key, 'id')
          : (r.label ?? r.key),
    reports: r.reports,
  }));
}

export interface UnitRow {
  unit: { code: string; name: string };
  reports: number;
  /** Still open (any state before Selesai, Ditolak or Digabung). */
  backlog: number;
  /** Open, with at least one SLA clock past its due time and not met, at `asOf`. */
  overdue: number;
  /** Reports that reached Selesai at least once. */
  completed: number;
  /** Of those, reports taken from Selesai back to an active state at least once. */
  reopened: number;
  /** reopened / completed; null when nothing was completed. */
  reopenRate: number | null;
}

export async function unitFigures(db: DataSource, q: StatsQuery, asOf: Date): Promise<UnitRow[]> {
  const rows = (await db.query(
    `WITH ${SCOPE}
     SELECT r.unit->>'code' AS code, max(coalesce(u.name, r.unit->>'name')) AS name,
            count(*)::int AS reports,
            count(*) FILTER (WHERE r.state = ANY($3))::int AS backlog,
            count(*) FILTER (WHERE r.state = ANY($3) AND EXISTS (
              SELECT 1 FROM sla_clock c WHERE c.report_id = r.id AND c.met_at IS NULL AND c.due_at < $4))::int AS overdue,
            count(*) FILTER (WHERE EXISTS (
              SELECT 1 FROM report_transition t WHERE t.report_id = r.id AND t.to_state = 'COMPLETED'))::int AS completed,
            count(*) FILTER (WHERE EXISTS (
              SELECT 1 FROM report_transition t WHERE t.report_id = r.id
                 AND t.from_state = 'COMPLETED' AND t.to_state = ANY($3)))::int AS reopened
       FROM scope r LEFT JOIN unit u ON u.code = r.unit->>'code'
      WHERE r.unit IS NOT NULL
      GROUP BY 1 ORDER BY 1`,
    [q.from, q.to, OPEN_STATES, asOf],
  )) as Array<Omit<UnitRow, 'unit' | 'reopenRate'> & { code: string; name: string }>;
  return rows.map(({ code, name, ...r }) => ({
    unit: { code, name },
    ...r,
    reopenRate: r.completed ? round(r.reopened / r.completed, 4) : null,
  }));
}

export interface SlaRow {
  unit: { code: string; name: string };
  stage: string;
  /** Clocks started for the unit's reports in this stage. */
  clocks: number;
  /** Clocks whose outcome is known at `asOf`: met, or past due without being met. */
  decided: number;
  /** Of the decided ones, met by their due time. */
  metOnTime: number;
  /** metOnTime / decided; null when none is decided yet. */
  hitRate: number | null;
  /** Time from start to met, over the met clocks (hours; PostgreSQL's percentile_cont). */
  medianHours: number | null;
  p90Hours: number | null;
}

export async function slaFigures(db: DataSource, q: StatsQuery, asOf: Date): Promise<SlaRow[]> {
  const rows = (await db.query(
    // A unit's part of a report handed to several units (ADR 0073) counts for that unit, all its
    // parts as one stage: its clock's own name carries the part's id.
    `WITH ${SCOPE}, timed AS (
       SELECT coalesce(t.unit_code, r.unit->>'code') AS code,
              coalesce(u.name, t.unit->>'name', r.unit->>'name') AS name,
              CASE WHEN t.id IS NULL THEN c.stage ELSE 'subtask' END AS stage, c.due_at, c.met_at,
              extract(epoch FROM c.met_at - c.started_at) / 3600 AS hours
         FROM scope r JOIN sla_clock c ON c.report_id = r.id
         LEFT JOIN report_task t ON c.stage = 'subtask:' || t.id
         LEFT JOIN unit u ON u.code = coalesce(t.unit_code, r.unit->>'code')
        WHERE r.unit IS NOT NULL OR t.id IS NOT NULL)
     SELECT code, max(name) AS name, stage, count(*)::int AS clocks,
            count(*) FILTER (WHERE met_at IS NOT NULL OR due_at < $3)::int AS decided,
            count(*) FILTER (WHERE met_at IS NOT NULL AND met_at <= due_at)::int AS met_on_time,
            round((percentile_cont(0.5) WITHIN GROUP (ORDER BY hours) FILTER (WHERE met_at IS NOT NULL))::numeric, 2)::float8 AS median_hours,
            round((percentile_cont(0.9) WITHIN GROUP (ORDER BY hours) FILTER (WHERE met_at IS NOT NULL))::numeric, 2)::float8 AS p90_hours
       FROM timed GROUP BY code, stage ORDER BY code, stage`,
    [q.from, q.to, asOf],
  )) as Array<{
    code: string;
    name: string;
    stage: string;
    clocks: number;
    decided: number;
    met_on_time: number;
    median_hours: number | null;
    p90_hours: number | null;
  }>;
  return rows.map((r) => ({
    unit: { code: r.code, name: r.name },
    stage: r.stage,
    clocks: r.clocks,
    decided: r.decided,
    metOnTime: r.met_on_time,
    hitRate: r.decided ? round(r.met_on_time / r.decided, 4) : null,
    medianHours: r.median_hours,
    p90Hours: r.p90_hours,
  }));
}

export interface RejectionRow {
  unit: { code: string; name: string } | null;
  /** The note citizens read on the timeline; null where it is not public (an officer's note on a confidential or private report). */
  reason: string | null;
  reports: number;
}

export async function rejections(db: DataSource, q: StatsQuery): Promise<RejectionRow[]> {
  // The reason is the public note of the move to Ditolak, which the tracking page already shows.
  // A confidential report has no public page and a private one shows its state only, so an
  // officer's words about them are not repeated here; the router's notes are built from fixed
  // codes and stay.
  const rows = (await db.query(
    `WITH ${SCOPE}, last_rejection AS (
       SELECT DISTINCT ON (t.report_id) t.report_id, t.public_note, t.actor->>'kind' AS actor_kind
         FROM report_transition t JOIN scope r ON r.id = t.report_id
        WHERE t.to_state = 'REJECTED'
        ORDER BY t.report_id, t.at DESC, t.id DESC)
     SELECT r.unit->>'code' AS code, max(coalesce(u.name, r.unit->>'name')) AS name,
            CASE WHEN (r.confidential OR r.visibility <> 'public') AND j.actor_kind <> 'system' THEN NULL ELSE j.public_note END AS reason,
            count(*)::int AS reports
       FROM last_rejection j JOIN scope r ON r.id = j.report_id LEFT JOIN unit u ON u.code = r.unit->>'code'
      WHERE r.state = 'REJECTED'
      GROUP BY 1, 3 ORDER BY reports DESC, code NULLS FIRST, reason NULLS LAST`,
    [q.from, q.to],
  )) as Array<{ code: string | null; name: string | null; reason: string | null; reports: number }>;
  return rows.map((r) => ({
    unit: r.code ? { code: r.code, name: r.name ?? r.code } : null,
    reason: r.reason,
    reports: r.reports,
  }));
}

export interface MapRow {
  kelurahan: { kode: string; nama: string };
  kecamatan: { kode: string; nama: string };
  kota: { kode: string; nama: string };
  reports: number;
  /** Reports per current state; states with none are left out. */
  states: Partial<Record<LifecycleState, number>>;
}

/** Counts per kelurahan and state: never a text, a point or a reporter. */
export async function mapFigures(db: DataSource, q: StatsQuery): Promise<MapRow[]> {
  const rows = (await db.query(
    `WITH ${SCOPE}
     SELECT r.area->'kelurahan'->>'kode' AS kode, r.state, count(*)::int AS reports,
            max(r.area->'kelurahan'->>'nama') AS nama,
            max(r.area->'kecamatan'->>'kode') AS kec_kode, max(r.area->'kecamatan'->>'nama') AS kec_nama,
            max(r.area->'kota'->>'kode') AS kota_kode, max(r.area->'kota'->>'nama') AS kota_nama
       FROM scope r WHERE r.area IS NOT NULL
      GROUP BY 1, 2 ORDER BY 1, 2`,
    [q.from, q.to],
  )) as Array<{
    kode: string;
    state: LifecycleState;
    reports: number;
    nama: string;
    kec_kode: string;
    kec_nama: string;
    kota_kode: string;
    kota_nama: string;
  }>;
  const byKode = new Map<string, MapRow>();
  for (const r of rows) {
    let row = byKode.get(r.kode);
    if (!row) {
      row = {
        kelurahan: { kode: r.kode, nama: r.nama },
        kecamatan: { kode: r.kec_kode, nama: r.kec_nama },
        kota: { kode: r.kota_kode, nama: r.kota_nama },
        reports: 0,
        states: {},
      };
      byKode.set(r.kode, row);
    }
    row.reports += r.reports;
    row.states[r.state] = r.reports;
  }
  return [...byKode.values()].sort(
    (a, b) => b.reports - a.reports || a.kelurahan.kode.localeCompare(b.kelurahan.kode),
  );
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
