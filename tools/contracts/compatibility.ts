/**
 * The schema evolution rule of a topic version (docs/downstream.md): every event the published
 * schema accepted is still accepted, and every field an app reads is still there with the same
 * type. A change that breaks either needs a new topic version (`….v2`).
 *
 * Allowed: a new optional field, a new enum value, a looser bound or pattern, words
 * (title, description). Everything else the comparison does not understand counts as breaking,
 * so a keyword nobody taught it about cannot slip through.
 */

type Schema = Record<string, unknown>;

export interface BreakingChange {
  /** Where in the event, e.g. `actor.kind` or `evidence[].url`; `(event)` for the whole of it. */
  path: string;
  change: string;
}

const WORDS = new Set([
  '$id',
  '$schema',
  'title',
  'description',
  '$comment',
  'examples',
  'default',
  'deprecated',
]);
const LOWER_BOUNDS = ['minLength', 'minItems', 'minProperties', 'minimum', 'exclusiveMinimum'] as const;
const UPPER_BOUNDS = ['maxLength', 'maxItems', 'maxProperties', 'maximum', 'exclusiveMaximum'] as const;
const HANDLED = new Set<string>([
  ...WORDS,
  ...LOWER_BOUNDS,
  ...UPPER_BOUNDS,
  'type',
  'enum',
  'const',
  'required',
  'properties',
  'additionalProperties',
  'items',
  'oneOf',
  'anyOf',
  'pattern',
  'format',
]);

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function types(schema: Schema): string {
  const t = schema['type'];
  if (t === undefined) return 'any';
  return (Array.isArray(t) ? [...(t as string[])].sort() : [t as string]).join(' | ');
}

function child(path: string, name: string): string {
  return path === '(event)' ? name : `${path}.${name}`;
}

function compareBounds(published: Schema, current: Schema, path: string, out: BreakingChange[]): void {
  for (const key of LOWER_BOUNDS) {
    const before = published[key] as number | undefined;
    const after = current[key] as number | undefined;
    if (after !== undefined && (before === undefined || after > before))
      out.push({ path, change: `${key} tightened from ${before ?? 'none'} to ${after}` });
  }
  for (const key of UPPER_BOUNDS) {
    const before = published[key] as number | undefined;
    const after = current[key] as number | undefined;
    if (after !== undefined && (before === undefined || after < before))
      out.push({ path, change: `${key} tightened from ${before ?? 'none'} to ${after}` });
  }
  for (const key of ['pattern', 'format', 'const'] as const) {
    if (current[key] !== undefined && !same(current[key], published[key]))
      out.push({
        path,
        change: `${key} changed from ${JSON.stringify(published[key] ?? null)} to ${JSON.stringify(current[key])}`,
      });
  }
}

function compareObjects(published: Schema, current: Schema, path: string, out: BreakingChange[]): void {
  const before = (published['properties'] ?? {}) as Record<string, Schema>;
  const after = (current['properties'] ?? {}) as Record<string, Schema>;
  const requiredBefore = new Set((published['required'] ?? []) as string[]);
  const requiredAfter = new Set((current['required'] ?? []) as string[]);
  for (const [name, schema] of Object.entries(before)) {
    if (!(name in after)) out.push({ path: child(path, name), change: 'field removed' });
    else compare(schema, after[name]!, child(path, name), out);
  }
  for (const name of requiredAfter) {
    if (requiredBefore.has(name)) continue;
    out.push({
      path: child(path, name),
      change: name in before ? 'optional field became required' : 'new required field',
    });
  }
  // Apps read a required field without checking that it is there.
  for (const name of requiredBefore)
    if (!requiredAfter.has(name) && name in after)
      out.push({ path: child(path, name), change: 'required field became optional' });
  const extraBefore = published['additionalProperties'];
  const extraAfter = current['additionalProperties'];
  if (extraAfter === false && extraBefore !== false)
    out.push({ path, change: 'closed to fields it does not name (additionalProperties: false)' });
  else if (isSchema(extraBefore) && isSchema(extraAfter)) compare(extraBefore, extraAfter, `${path}.*`, out);
}

function compareAlternatives(published: Schema, current: Schema, path: string, out: BreakingChange[]): void {
  for (const key of ['oneOf', 'anyOf'] as const) {
    const before = published[key] as Schema[] | undefined;
    const after = current[key] as Schema[] | undefined;
    if (!before && !after) continue;
    if (!before || !after || before.length !== after.length) {
      out.push({
        path,
        change: `${key} changed from ${before?.length ?? 0} to ${after?.length ?? 0} alternatives`,
      });
      continue;
    }
    before.forEach((alt, i) => compare(alt, after[i]!, `${path} (${key} #${i + 1})`, out));
  }
}

function compare(published: Schema, current: Schema, path: string, out: BreakingChange[]): void {
  if (types(published) !== types(current))
    out.push({ path, change: `retyped from ${types(published)} to ${types(current)}` });

  const enumBefore = published['enum'] as unknown[] | undefined;
  const enumAfter = current['enum'] as unknown[] | undefined;
  if (enumAfter) {
    if (!enumBefore) out.push({ path, change: 'restricted to an enum' });
    const dropped = (enumBefore ?? []).filter((v) => !enumAfter.some((w) => same(v, w)));
    if (dropped.length) out.push({ path, change: `enum narrowed: no longer ${dropped.join(', ')}` });
  }

  compareBounds(published, current, path, out);
  compareObjects(published, current, path, out);
  compareAlternatives(published, current, path, out);

  const itemsBefore = published['items'];
  const itemsAfter = current['items'];
  if (isSchema(itemsBefore) && isSchema(itemsAfter)) compare(itemsBefore, itemsAfter, `${path}[]`, out);
  else if (itemsAfter !== undefined && !same(itemsBefore, itemsAfter))
    out.push({ path: `${path}[]`, change: 'items changed' });

  for (const key of new Set([...Object.keys(published), ...Object.keys(current)])) {
    if (!HANDLED.has(key) && !same(published[key], current[key]))
      out.push({ path, change: `${key} changed (a keyword the rule does not know: counted as breaking)` });
  }
}

/** What in `current` breaks apps built against `published`; empty when it is a compatible evolution. */
export function breakingChanges(published: object, current: object): BreakingChange[] {
  const out: BreakingChange[] = [];
  compare(published as Schema, current as Schema, '(event)', out);
  return out;
}
