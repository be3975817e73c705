/**
 * Where a source is read from next, kept by the channel kit as the partition's cursor (saved only
 * once every post of a page is on Kafka). X lists newest first and pages backwards with
 * `next_token`, so the newest id seen (`since`) may move only once the last page is read: until
 * then the cursor holds the page to read next and the newest id of the walk (`newest`). A crash
 * in the middle of a walk resumes with its page; nothing older than `since` is asked for again.
 */
export interface Position {
  /** Everything up to this id has been read (`since_id` of the next walk). */
  since?: string;
  /** The page of the current walk still to be read. */
  token?: string;
  /** The newest id of the current walk: `since` once the walk ends. */
  newest?: string;
}

export function readPosition(cursor: string | null): Position {
  if (!cursor) return {};
  try {
    const p = JSON.parse(cursor) as Position;
    return typeof p === 'object' && p !== null ? p : {};
  } catch {
    return {};
  }
}

/** The larger of two X ids (snowflakes, compared as numbers). */
export function newerId(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b;
  if (!b) return a;
  return BigInt(a) >= BigInt(b) ? a : b;
}

/** The cursor after reading one page whose newest id is `pageNewest`. */
export function afterPage(
  at: Position,
  pageNewest: string | undefined,
  nextToken: string | undefined,
): Position {
  // The first page of a walk is the newest one; later pages are older.
  const newest = at.token ? at.newest : newerId(pageNewest, at.newest);
  if (nextToken)
    return { ...(at.since ? { since: at.since } : {}), token: nextToken, ...(newest ? { newest } : {}) };
  const since = newerId(at.since, newest);
  return since ? { since } : {};
}

export function writePosition(p: Position): string | null {
  return p.since || p.token ? JSON.stringify(p) : null;
}
