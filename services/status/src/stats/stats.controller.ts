import { createHash } from 'node:crypto';
import { Controller, Get, HttpException, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { LIFECYCLE_STATES, STATE_LABELS } from '@aduan/contracts';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import type { Clock } from '../clock';
import { CLOCK } from '../officer/reports.controller';
import { toCsv } from './stats-csv';
import { mapFigures, rejections, reportsBy, slaFigures, unitFigures } from './stats-queries';
import { parseStatsQuery, StatsQueryError, TIME_ZONE, type StatsQuery } from './stats-range';

/** What a dataset answers: its rows as JSON, and the same rows as CSV cells. */
interface Dataset {
  params: readonly string[];
  rows(db: DataSource, q: StatsQuery, asOf: Date): Promise<unknown[]>;
  csv: { header: readonly string[]; cells(row: never): unknown[] };
  /** Said once beside the rows of the JSON answer. */
  extra?: Record<string, unknown>;
}

type RowOf<F> = F extends (...args: never[]) => Promise<Array<infer R>> ? R : never;

function dataset<F extends Dataset['rows']>(
  params: readonly string[],
  rows: F,
  header: readonly string[],
  cells: (row: RowOf<F>) => unknown[],
  extra?: Record<string, unknown>,
): Dataset {
  return {
    params,
    rows,
    csv: { header, cells: cells as (row: never) => unknown[] },
    ...(extra ? { extra } : {}),
  };
}

const RANGE = ['from', 'to'] as const;

const DATASETS: Record<string, Dataset> = {
  reports: dataset(
    [...RANGE, 'by'],
    (db, q) => reportsBy(db, q),
    ['key', 'label', 'reports'],
    (r) => [r.key, r.label, r.reports],
  ),
  units: dataset(
    RANGE,
    unitFigures,
    ['unit_code', 'unit_name', 'reports', 'backlog', 'overdue', 'completed', 'reopened', 'reopen_rate'],
    (r) => [r.unit.code, r.unit.name, r.reports, r.backlog, r.overdue, r.completed, r.reopened, r.reopenRate],
  ),
  sla: dataset(
    RANGE,
    slaFigures,
    [
      'unit_code',
      'unit_name',
      'stage',
      'clocks',
      'decided',
      'met_on_time',
      'hit_rate',
      'median_hours',
      'p90_hours',
    ],
    (r) => [
      r.unit.code,
      r.unit.name,
      r.stage,
      r.clocks,
      r.decided,
      r.metOnTime,
      r.hitRate,
      r.medianHours,
      r.p90Hours,
    ],
  ),
  rejections: dataset(
    RANGE,
    (db, q) => rejections(db, q),
    ['unit_code', 'unit_name', 'reason', 'reports'],
    (r) => [r.unit?.code, r.unit?.name, r.reason, r.reports],
  ),
  map: dataset(
    RANGE,
    (db, q) => mapFigures(db, q),
    [
      'kelurahan_kode',
      'kelurahan',
      'kecamatan_kode',
      'kecamatan',
      'kota_kode',
      'kota',
      'reports',
      ...LIFECYCLE_STATES.map((s) => s.toLowerCase()),
    ],
    (r) => [
      r.kelurahan.kode,
      r.kelurahan.nama,
      r.kecamatan.kode,
      r.kecamatan.nama,
      r.kota.kode,
      r.kota.nama,
      r.reports,
      ...LIFECYCLE_STATES.map((s) => r.states[s] ?? 0),
    ],
    // The states' official labels, so that a page need not keep its own copy.
    { stateLabels: STATE_LABELS },
  ),
};

/** Public figures may sit in any cache for five minutes: they change slowly and cost SQL. */
const CACHE_CONTROL = 'public, max-age=300';

function problem(status: number, code: string, message: string, extra: Record<string, unknown> = {}) {
  const error = status === 400 ? 'Bad Request' : 'Not Found';
  return new HttpException({ statusCode: status, error, code, message, ...extra }, status);
}

/**
 * `GET /v1/public/stats/{dataset}` and `{dataset}.csv` (docs/adr/0050): figures over the reports
 * received in a range of Jakarta days, the same rows in JSON and CSV, with an ETag of the answer.
 */
@Controller('v1/public/stats')
export class StatsController {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get(':dataset')
  async figures(
    @Param('dataset') raw: string,
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const csv = raw.endsWith('.csv');
    const name = csv ? raw.slice(0, -4) : raw;
    const set = Object.hasOwn(DATASETS, name) ? DATASETS[name] : undefined;
    if (!set)
      throw problem(404, 'NOT_FOUND', `no statistics named ${raw.slice(0, 40)}`, {
        datasets: Object.keys(DATASETS),
      });
    const asOf = this.clock();
    let q: StatsQuery;
    try {
      q = parseStatsQuery(query, asOf, set.params);
    } catch (err) {
      if (!(err instanceof StatsQueryError)) throw err;
      throw problem(400, 'INVALID_QUERY', err.message, { problems: err.problems });
    }
    const rows = await set.rows(this.db, q, asOf);
    let body: string;
    if (csv) {
      const by = set.params.includes('by') ? `-by-${q.by}` : '';
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="aduan-${name}${by}-${q.from}-${q.to}.csv"`);
      body = toCsv(
        set.csv.header,
        rows.map((r) => set.csv.cells(r as never)),
      );
    } else {
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      body = JSON.stringify({
        dataset: name,
        from: q.from,
        to: q.to,
        timeZone: TIME_ZONE,
        asOf: asOf.toISOString(),
        ...(set.params.includes('by') ? { by: q.by } : {}),
        // Relative, so that it resolves wherever the JSON was fetched (through the site's proxy too).
        csv: `${name}.csv?${new URLSearchParams({ from: q.from, to: q.to, ...(set.params.includes('by') ? { by: q.by } : {}) })}`,
        ...set.extra,
        rows,
      });
    }
    // The same figures give the same tag, so a client that has them gets a 304 without a body.
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    res.setHeader('Cache-Control', CACHE_CONTROL);
    res.setHeader('ETag', etag);
    const wanted = String(req.headers['if-none-match'] ?? '')
      .split(',')
      .map((t) => t.trim().replace(/^W\//, ''));
    if (wanted.includes(etag) || wanted.includes('*')) {
      res.status(304).end();
      return;
    }
    res.send(body);
  }
}
