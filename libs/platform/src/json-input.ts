/**
 * What every JSON body passes before a handler sees it (ADR 0053): nesting is bounded, so no
 * handler walking the value can overflow its stack, and NUL is taken out of every string, as
 * PostgreSQL text cannot hold it (a NUL stored after a 202 would stop the report downstream).
 */

/** Deeper than any body a client of ours sends; far below what a recursive walk can take. */
export const MAX_JSON_DEPTH = 64;

/** An error body-parser passes on with its `type`, answered 400 by the HTTP app. */
export class JsonTooDeep extends Error {
  readonly type = 'entity.too.deep';
  constructor(readonly maxDepth: number) {
    super(`request body is nested deeper than ${maxDepth} levels`);
    this.name = 'JsonTooDeep';
  }
}

/** Whether the JSON text opens more than `max` arrays or objects inside one another (strings skipped). */
export function jsonDeeperThan(raw: Buffer | string, max: number): boolean {
  const text = typeof raw === 'string' ? raw : raw.toString('latin1');
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** JSON.parse reviver: every string without NUL. */
export function withoutNulReviver(_key: string, value: unknown): unknown {
  return typeof value === 'string' && value.includes('\u0000') ? value.replaceAll('\u0000', '') : value;
}
