import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { ApiError } from './api-error';
import { type Body } from './input';
import { parseSearch } from './report-search';

/** Enough for a shift's habits; past it an officer deletes one first, so the list stays readable. */
export const MAX_VIEWS_PER_OFFICER = 20;
export const VIEW_NAME_MAX = 60;

/** The words of the queue's filter bar; `mine` narrows to the officer's own reports. */
export const VIEW_TEXT_FILTERS = [
  'q',
  'state',
  'unit',
  'category',
  'channel',
  'from',
  'to',
  'overdue',
] as const;

export type ViewFilters = Record<(typeof VIEW_TEXT_FILTERS)[number], string> & { mine: boolean };

export interface SavedView {
  id: string;
  name: string;
  filters: ViewFilters;
  createdAt: string;
}

function refuse(message: string, problems: string[]): never {
  throw new ApiError(400, 'VALIDATION_FAILED', message, { problems });
}

/**
 * A view's filters, every one present (an empty string is "any"; an empty `state` is "every
 * state", which the console tells from its default). They are checked exactly as a search with
 * them would be, so a saved view always runs.
 */
export function readFilters(raw: unknown, officerId: string): ViewFilters {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    refuse('filters must be an object', ['filters']);
  const given = raw as Body;
  const unknown = Object.keys(given).filter(
    (name) => name !== 'mine' && !(VIEW_TEXT_FILTERS as readonly string[]).includes(name),
  );
  if (unknown.length)
    refuse(
      `filters.${unknown[0]!.slice(0, 30)} is not a filter (${[...VIEW_TEXT_FILTERS, 'mine'].join(', ')})`,
      unknown.map((name) => `filters.${name.slice(0, 30)}`),
    );
  const filters = { mine: false } as ViewFilters;
  for (const name of VIEW_TEXT_FILTERS) {
    const v = given[name] ?? '';
    if (typeof v !== 'string') refuse(`filters.${name} must be a string`, [`filters.${name}`]);
    filters[name] = v.trim();
  }
  if (given.mine !== undefined && typeof given.mine !== 'boolean')
    refuse('filters.mine must be true or false', ['filters.mine']);
  filters.mine = given.mine === true;
  const query: Record<string, string> = {};
  for (const name of VIEW_TEXT_FILTERS) if (filters[name]) query[name] = filters[name];
  if (filters.mine) query.assignee = 'me';
  try {
    parseSearch(query, officerId);
  } catch (err) {
    // The search names its parameters; here they sit inside `filters`.
    if (err instanceof ApiError) {
      const body = err.getResponse() as { message: string; problems?: string[] };
      refuse(
        `filters: ${body.message}`,
        (body.problems ?? []).map((name) => `filters.${name === 'assignee' ? 'mine' : name}`),
      );
    }
    throw err;
  }
  return filters;
}

export function readName(raw: unknown): string {
  if (typeof raw !== 'string' || !raw.trim()) refuse('name is required', ['name']);
  // Spaces run together: "Banjir  pagi" and "Banjir pagi" are one name to the officer.
  const name = raw.trim().replace(/\s+/g, ' ');
  if (name.length > VIEW_NAME_MAX) refuse(`name must be at most ${VIEW_NAME_MAX} characters`, ['name']);
  if (/[\p{Cc}\p{Cf}]/u.test(name)) refuse('name must be plain text', ['name']);
  return name;
}

interface Row {
  id: string;
  name: string;
  filters: ViewFilters;
  created_at: Date;
}

const asView = (r: Row): SavedView => ({
  id: r.id,
  name: r.name,
  filters: r.filters,
  createdAt: r.created_at.toISOString(),
});

/** The views an officer saved, by name; nobody else's. */
export async function viewsOf(db: DataSource, officerId: string): Promise<SavedView[]> {
  const rows = (await db.query(
    `SELECT id, name, filters, created_at FROM officer_view WHERE officer_id = $1 ORDER BY lower(name), id`,
    [officerId],
  )) as Row[];
  return rows.map(asView);
}

/**
 * Saves a view; the same name again (in any case) replaces its filters, since that is what an
 * officer means by saving "Banjir pagi" twice. Answers whether a view was created.
 */
export async function saveView(
  db: DataSource,
  officerId: string,
  name: string,
  filters: ViewFilters,
  at: Date,
): Promise<{ view: SavedView; created: boolean }> {
  return db.transaction(async (tx) => {
    // One officer's saves in turn, so two tabs cannot both take the last place.
    await tx.query(`SELECT id FROM officer WHERE id = $1 FOR UPDATE`, [officerId]);
    const [same] = (await tx.query(
      `UPDATE officer_view SET name = $3, filters = $4 WHERE officer_id = $1 AND lower(name) = lower($2)
       RETURNING id, name, filters, created_at`,
      [officerId, name, name, JSON.stringify(filters)],
    )) as [Row[], number];
    if (same.length) return { view: asView(same[0]!), created: false };
    const [{ n }] = (await tx.query(`SELECT count(*)::int AS n FROM officer_view WHERE officer_id = $1`, [
      officerId,
    ])) as Array<{ n: number }>;
    if (n >= MAX_VIEWS_PER_OFFICER)
      throw new ApiError(
        409,
        'TOO_MANY_VIEWS',
        `an officer keeps at most ${MAX_VIEWS_PER_OFFICER} saved views; delete one first`,
      );
    const [row] = (await tx.query(
      `INSERT INTO officer_view (id, officer_id, name, filters, created_at) VALUES ($1, $2, $3, $4, $5)
       RETURNING id, name, filters, created_at`,
      [randomUUID(), officerId, name, JSON.stringify(filters), at],
    )) as Row[];
    return { view: asView(row!), created: true };
  });
}

/** Deletes one of the officer's own views: another officer's is refused, an unknown one not found. */
export async function deleteView(db: DataSource, officerId: string, id: string): Promise<void> {
  const [row] = (await db.query(`SELECT officer_id FROM officer_view WHERE id = $1`, [id])) as Array<{
    officer_id: string;
  }>;
  if (!row) throw new ApiError(404, 'NOT_FOUND', `no saved view ${id}`);
  if (row.officer_id !== officerId)
    throw new ApiError(403, 'FORBIDDEN', 'a saved view belongs to the officer who saved it');
  await db.query(`DELETE FROM officer_view WHERE id = $1 AND officer_id = $2`, [id, officerId]);
}
