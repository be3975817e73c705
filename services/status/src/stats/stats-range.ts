/** The breakdowns of `GET /v1/public/stats/reports`. */
export const REPORT_DIMENSIONS = [
  'day',
  'channel',
  'category',
  'kota',
  'kecamatan',
  'kelurahan',
  'unit',
] as const;
export type ReportDimension = (typeof REPORT_DIMENSIONS)[number];

/** The longest range one request may ask for: a year, leap day included. */
export const MAX_RANGE_DAYS = 366;
/** Without `from`, the figures cover the 30 days up to and including `to`. */
export const DEFAULT_RANGE_DAYS = 30;

/** Days are Jakarta calendar days: a report received at 23:30 WIB counts on that day, not the next. */
export const TIME_ZONE = 'Asia/Jakarta';
const JAKARTA_OFFSET_MS = 7 * 3600_000;
const DAY_MS = 24 * 3600_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export interface StatsQuery {
  from: string;
  to: string;
  by: ReportDimension;
}

export class StatsQueryError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
  }
}

/** The Jakarta calendar day of an instant, as YYYY-MM-DD. */
export function jakartaDay(at: Date): string {
  return new Date(at.getTime() + JAKARTA_OFFSET_MS).toISOString().slice(0, 10);
}

function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** A real calendar date written as YYYY-MM-DD (2026-02-30 is not one). */
function isDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}

function single(raw: unknown, name: string, problems: string[]): string | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string') {
    problems.push(`${name} must be given once, as text`);
    return undefined;
  }
  return raw;
}

/**
 * Checks the query string of a stats request and fills in the defaults. Every problem is named
 * at once, so that one 400 tells the caller all that is wrong.
 */
export function parseStatsQuery(
  query: Record<string, unknown>,
  today: Date,
  allowed: readonly string[] = ['from', 'to'],
): StatsQuery {
  const problems: string[] = [];
  const unknown = Object.keys(query).filter((k) => !allowed.includes(k));
  if (unknown.length)
    problems.push(
      `unknown parameter ${unknown.map((k) => k.slice(0, 30)).join(', ')}; allowed: ${allowed.join(', ')}`,
    );

  const rawTo = single(query['to'], 'to', problems);
  const rawFrom = single(query['from'], 'from', problems);
  const rawBy = single(query['by'], 'by', problems);
  if (rawTo !== undefined && !isDate(rawTo)) problems.push('to must be a date written as YYYY-MM-DD');
  if (rawFrom !== undefined && !isDate(rawFrom)) problems.push('from must be a date written as YYYY-MM-DD');
  const by = (rawBy ?? 'day') as ReportDimension;
  if (!REPORT_DIMENSIONS.includes(by)) problems.push(`by must be one of ${REPORT_DIMENSIONS.join(', ')}`);
  if (problems.length) throw new StatsQueryError(problems);

  const to = rawTo ?? jakartaDay(today);
  const from = rawFrom ?? addDays(to, 1 - DEFAULT_RANGE_DAYS);
  const span = daysBetween(from, to) + 1;
  if (span < 1) problems.push(`from (${from}) must not be after to (${to})`);
  if (span > MAX_RANGE_DAYS)
    problems.push(
      `the range from ${from} to ${to} is ${span} days; at most ${MAX_RANGE_DAYS} days are served`,
    );
  if (problems.length) throw new StatsQueryError(problems);
  return { from, to, by };
}
