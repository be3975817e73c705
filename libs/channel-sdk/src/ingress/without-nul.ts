/**
 * NUL is the one character PostgreSQL text cannot hold: a complaint carrying one would be
 * published, answered 202 or 200, and then refused by the status service's database, so the
 * citizen would hold a tracking code that never works. Every ingress takes it out of the items
 * it reads before the adapter sees them (ADR 0053); the rest of the text is kept as sent.
 */

/** Deeper than any provider's payload; what lies below is left as it is. */
const MAX_DEPTH = 64;

function isPlain(v: unknown): v is Record<string, unknown> | unknown[] {
  if (Array.isArray(v)) return true;
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

const clean = (s: string) => (s.includes('\u0000') ? s.replaceAll('\u0000', '') : s);

/**
 * Takes NUL out of every string in a parsed item: the item itself when a string, else the
 * strings of its plain objects and arrays, in place (Dates, Buffers, functions and class
 * instances are left alone). Walks without recursion, so no nesting overflows the stack.
 */
export function withoutNul<T>(item: T): T {
  if (typeof item === 'string') return clean(item) as T;
  if (!isPlain(item)) return item;
  const stack: Array<[Record<string, unknown> | unknown[], number]> = [[item, 0]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    for (const key of Object.keys(node)) {
      const value = (node as Record<string, unknown>)[key];
      if (typeof value === 'string') (node as Record<string, unknown>)[key] = clean(value);
      else if (isPlain(value) && depth < MAX_DEPTH) stack.push([value, depth + 1]);
    }
  }
  return item;
}
