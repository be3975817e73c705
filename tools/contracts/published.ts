import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { breakingChanges, type BreakingChange } from './compatibility';

/**
 * Every topic version ever published keeps its schema as a file, `<topic>.json`, in the
 * contracts' `schemas-published/` folder; the schema in the code is checked against it.
 */
export type TopicStatus =
  /** The schema is the published one. */
  | 'published'
  /** Changed, compatibly: the snapshot is behind (`npm run contracts:snapshot`). */
  | 'compatible'
  | 'breaking'
  /** A topic version without a snapshot yet. */
  | 'new'
  /** A snapshot whose topic left the code; its file stays, as a record of what was published. */
  | 'retired';

export interface TopicCheck {
  topic: string;
  status: TopicStatus;
  breaks: BreakingChange[];
}

export function snapshotFile(dir: string, topic: string): string {
  return join(dir, `${topic}.json`);
}

function serialize(schema: object): string {
  return JSON.stringify(schema, null, 2) + '\n';
}

export function checkAgainstSnapshots(current: Record<string, object>, dir: string): TopicCheck[] {
  const published = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .map((f) => f.slice(0, -'.json'.length))
    : [];
  const checks: TopicCheck[] = published
    .filter((topic) => !(topic in current))
    .map((topic) => ({ topic, status: 'retired', breaks: [] }));
  for (const [topic, schema] of Object.entries(current)) {
    const file = snapshotFile(dir, topic);
    if (!existsSync(file)) {
      checks.push({ topic, status: 'new', breaks: [] });
      continue;
    }
    const text = readFileSync(file, 'utf8');
    const breaks = breakingChanges(JSON.parse(text) as object, schema);
    const status = breaks.length ? 'breaking' : text === serialize(schema) ? 'published' : 'compatible';
    checks.push({ topic, status, breaks });
  }
  return checks.sort((a, b) => a.topic.localeCompare(b.topic));
}

/**
 * Writes the snapshot of every new or compatibly changed topic. Refuses, writing nothing, while
 * any topic has a breaking change: that change belongs in a new topic version.
 */
export function writeSnapshots(current: Record<string, object>, dir: string): TopicCheck[] {
  const checks = checkAgainstSnapshots(current, dir);
  if (checks.some((c) => c.status === 'breaking')) return checks;
  mkdirSync(dir, { recursive: true });
  for (const c of checks)
    if (c.status === 'new' || c.status === 'compatible')
      writeFileSync(snapshotFile(dir, c.topic), serialize(current[c.topic]!));
  return checks;
}

export function describeChecks(checks: TopicCheck[]): string[] {
  return checks.flatMap((c) => [
    `${c.topic}: ${c.status}`,
    ...c.breaks.map((b) => `  ${b.path}: ${b.change}`),
  ]);
}
