import { isChannelName, LIFECYCLE_STATES, type LifecycleState } from '@aduan/contracts';
import type { DataSource } from 'typeorm';
import { ApiError } from './api-error';
import { isCategory } from './categories';
import { isUuid } from './input';
import { LIST_JOINS, listColumns, listItem, unitScope, type QueueRow } from './report-views';

/** The query parameters of `GET /v1/officer/reports`; anything else is refused, so a typo is not a silent no-op. */
export const SEARCH_PARAMETERS = [
  'q',
  'state',
  'category',
  'unit',
  'channel',
  'assignee',
  'from',
  'to',
  'overdue',
  'cursor',
  'limit',
] as const;

const MAX_QUERY = 200;
const MAX_WORDS = 8;
const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 100;
const JAKARTA_OFFSET = '+07:00';
const JAKARTA_OFFSET_MS = 7 * 3600_000;
const DAY_MS = 24 * 3600_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;
const CURSOR_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** Where a hit sorts: newest first, then by id, so that paging is stable whatever arrives meanwhile. */
interface Position {
  at: string;
  id: string;
}

export interface SearchFilter {
  words: string[];
  code?: string;
  states?: LifecycleState[];
  category?: string;
  unit?: string;
  channel?: string;
  assignee?: string;
  from?: Date;
  to?: Date;
  overdue?: boolean;
  after?: Position;
  limit: number;
}

/** Names the refused parameters in `problems` (the console marks those fields) and says why in the message. */
class Problems {
  private readonly found: Array<{ name: string; why: string }> = [];
  add(name: string, why: string): void {
    this.found.push({ name, why });
  }
  throwAny(): void {
    if (!this.found.length) return;
    throw new ApiError(400, 'VALIDATION_FAILED', this.found.map((p) => `${p.name}: ${p.why}`).join('; '), {
      problems: this.found.map((p) => p.name),
    });
  }
}

function once(query: Record<string, unknown>, name: string, problems: Problems): string | undefined {
  const v = query[name];
  if (v === undefined || v === '') return undefined;
  if (typeof v === 'string') return v.trim() || undefined;
  problems.add(name, 'must be given once (a comma list for several states)');
  return undefined;
}

/** Letters and digits of any script; everything else separates words, as in the index. */
export function searchWords(q: string): string[] {
  return (q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, MAX_WORDS);
}

/** A tracking code as people write it (any case, a space or nothing for the dash), or undefined. */
export function asTrackingCode(q: string): string | undefined {
  const compact = q.toUpperCase().replace(/[\s-]+/g, '');
  return /^[0-9A-Z]{10}$/.test(compact) ? `${compact.slice(0, 5)}-${compact.slice(5)}` : undefined;
}

/** A Jakarta calendar day (from its start; `to` up to its end) or an instant with its offset. */
function instant(raw: string, name: 'from' | 'to', problems: Problems): Date | undefined {
  if (DATE.test(raw)) {
    const start = new Date(`${raw}T00:00:00${JAKARTA_OFFSET}`);
    // 2026-02-30 is no day: a date that does not read back as itself is refused.
    const day = new Date(start.getTime() + JAKARTA_OFFSET_MS).toISOString().slice(0, 10);
    if (!Number.isNaN(start.getTime()) && day === raw)
      return name === 'to' ? new Date(start.getTime() + DAY_MS) : start;
  } else if (INSTANT.test(raw)) {
    const at = new Date(raw);
    if (!Number.isNaN(at.getTime())) return at;
  }
  problems.add(
    name,
    'must be a date (YYYY-MM-DD, a Jakarta day) or a time with its offset (2026-01-05T10:00:00+07:00)',
  );
  return undefined;
}

export function encodeCursor(p: Position): string {
  return Buffer.from(JSON.stringify([p.at, p.id])).toString('base64url');
}

function decodeCursor(raw: string, problems: Problems): Position | undefined {
  try {
    const v = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(v) &&
      v.length === 2 &&
      typeof v[0] === 'string' &&
      CURSOR_TIME.test(v[0]) &&
      isUuid(v[1])
    )
      return { at: v[0], id: v[1].toLowerCase() };
  } catch {
    // Falls through to the problem below: a cursor is only ever one this API handed out.
  }
  problems.add('cursor', 'is not a cursor this API handed out; start again without it');
  return undefined;
}

/**
 * Reads the query string of a search. Every bad parameter is named at once in one 400; the
 * caller's scope (a unit officer's own unit) is applied by the controller, not here.
 */
export function parseSearch(query: Record<string, unknown>, officerId: string): SearchFilter {
  const problems = new Problems();
  for (const name of Object.keys(query))
    if (!(SEARCH_PARAMETERS as readonly string[]).includes(name))
      problems.add(name.slice(0, 30), `is not a search parameter (${SEARCH_PARAMETERS.join(', ')})`);
  const get = (name: (typeof SEARCH_PARAMETERS)[number]) => once(query, name, problems);
  const f: SearchFilter = { words: [], limit: DEFAULT_LIMIT };

  const q = get('q');
  if (q !== undefined) {
    if (q.length > MAX_QUERY) problems.add('q', `must be at most ${MAX_QUERY} characters`);
    f.words = searchWords(q);
    const code = asTrackingCode(q);
    if (code) f.code = code;
    if (!f.words.length) problems.add('q', 'must hold a word or a tracking code');
  }
  const state = get('state');
  if (state !== undefined) {
    const states = state.split(',').map((s) => s.trim().toUpperCase());
    const unknown = states.filter((s) => !(LIFECYCLE_STATES as readonly string[]).includes(s));
    if (unknown.length) problems.add('state', `unknown state ${unknown.join(', ').slice(0, 100)}`);
    else f.states = states as LifecycleState[];
  }
  const category = get('category');
  if (category !== undefined) {
    if (isCategory(category)) f.category = category;
    else problems.add('category', 'is not a category of GET /v1/officer/categories');
  }
  const unit = get('unit');
  if (unit !== undefined) {
    if (/^[\w.-]{1,64}$/.test(unit)) f.unit = unit;
    else problems.add('unit', 'must be a unit code');
  }
  const channel = get('channel');
  if (channel !== undefined) {
    if (isChannelName(channel)) f.channel = channel;
    else problems.add('channel', 'must be a channel name such as whatsapp or email');
  }
  const assignee = get('assignee');
  if (assignee !== undefined) {
    const id = assignee === 'me' ? officerId : assignee;
    if (isUuid(id)) f.assignee = id.toLowerCase();
    else problems.add('assignee', 'must be "me" or an officer id');
  }
  const from = get('from');
  if (from !== undefined) f.from = instant(from, 'from', problems);
  const to = get('to');
  if (to !== undefined) f.to = instant(to, 'to', problems);
  if (f.from && f.to && f.from >= f.to) problems.add('from', `must be before to`);
  const overdue = get('overdue');
  if (overdue !== undefined) {
    if (overdue === 'true' || overdue === 'false') f.overdue = overdue === 'true';
    else problems.add('overdue', 'must be true or false');
  }
  const cursor = get('cursor');
  if (cursor !== undefined) f.after = decodeCursor(cursor, problems);
  const limit = get('limit');
  if (limit !== undefined) {
    const n = Number(limit);
    if (/^\d{1,3}$/.test(limit) && n >= 1 && n <= MAX_LIMIT) f.limit = n;
    else problems.add('limit', `must be 1 to ${MAX_LIMIT}`);
  }
  problems.throwAny();
  return f;
}

// The same expression as the GIN index of migration 1765600000000: the planner uses the index
// only when the query repeats it exactly.
const DOCUMENT = `to_tsvector('aduan_search', coalesce(r.public_text, '') || ' ' || r.tracking_code)`;
const SORT_AT = 'coalesce(r.received_at, r.created_at)';

/**
 * Reports matching every filter, newest first, a page at a time. Words match the public text
 * and the tracking code, each word also as the start of a longer one ("lubang" finds
 * "lubangnya"), so the officer can search as they type.
 */
export async function searchReports(db: DataSource, f: SearchFilter, now: Date) {
  const params: unknown[] = [];
  const where: string[] = [];
  const p = (value: unknown) => `$${params.push(value)}`;
  if (f.words.length) {
    const words = `to_tsquery('aduan_search', ${p(f.words.map((w) => `${w}:*`).join(' & '))})`;
    where.push(
      f.code ? `(${DOCUMENT} @@ ${words} OR r.tracking_code = ${p(f.code)})` : `${DOCUMENT} @@ ${words}`,
    );
  }
  if (f.states) where.push(`r.state = ANY(${p(f.states)})`);
  if (f.category) where.push(`r.category = ${p(f.category)}`);
  if (f.unit) where.push(unitScope(params.push(f.unit)));
  if (f.channel) where.push(`r.channel = ${p(f.channel)}`);
  if (f.assignee) where.push(`r.assignee = ${p(f.assignee)}`);
  if (f.from) where.push(`${SORT_AT} >= ${p(f.from)}`);
  if (f.to) where.push(`${SORT_AT} < ${p(f.to)}`);
  if (f.overdue === true) where.push(`c.due_at <= ${p(now)}`);
  if (f.overdue === false) where.push(`(c.due_at IS NULL OR c.due_at > ${p(now)})`);
  if (f.after) where.push(`(${SORT_AT}, r.id) < (${p(f.after.at)}::timestamptz, ${p(f.after.id)}::uuid)`);
  const rows = (await db.query(
    `SELECT ${listColumns('coalesce(r.public_text, r.text)')},
            to_char(${SORT_AT} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS sort_at
       FROM report r
       ${LIST_JOINS}
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY ${SORT_AT} DESC, r.id DESC
      LIMIT ${p(f.limit + 1)}`,
    params,
  )) as Array<QueueRow & { sort_at: string }>;
  const page = rows.slice(0, f.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => listItem(r, now)),
    nextCursor: rows.length > f.limit && last ? encodeCursor({ at: last.sort_at, id: last.id }) : null,
  };
}
