import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TOPICS } from '@aduan/contracts';
import { breakingChanges } from './compatibility';
import { checkAgainstSnapshots, describeChecks } from './published';

const ROOT = join(__dirname, '../..');

const published = {
  $id: 'https://example.test/thing.v1.json',
  type: 'object',
  required: ['id', 'state', 'actor'],
  properties: {
    id: { type: 'string', pattern: '^[A-Z]{5}$' },
    state: { type: 'string', enum: ['OPEN', 'CLOSED'] },
    note: { type: 'string', maxLength: 100 },
    actor: { type: 'object', required: ['kind'], properties: { kind: { type: 'string' } } },
    unit: { oneOf: [{ type: 'object', properties: { code: { type: 'string' } } }, { type: 'null' }] },
    tags: { type: 'array', items: { type: 'string' } },
  },
};

type Props = Record<string, Record<string, unknown>>;
function edit(change: (props: Props, schema: { required: string[] }) => void): object {
  const copy = JSON.parse(JSON.stringify(published)) as { required: string[]; properties: Props };
  change(copy.properties, copy);
  return copy;
}

describe('schema evolution rule', () => {
  it.each([
    ['removing a field', edit((p) => delete p['note']), 'note: field removed'],
    [
      'retyping a field',
      edit((p) => (p['note'] = { type: 'integer' })),
      'note: retyped from string to integer',
    ],
    [
      'retyping a nested field',
      edit((p) => (p['actor']!['properties'] = { kind: { type: 'number' } })),
      'actor.kind: retyped from string to number',
    ],
    [
      'making an optional field required',
      edit((_p, s) => s.required.push('note')),
      'note: optional field became required',
    ],
    [
      'adding a required field',
      edit((p, s) => {
        p['channel'] = { type: 'string' };
        s.required.push('channel');
      }),
      'channel: new required field',
    ],
    [
      'narrowing an enum',
      edit((p) => (p['state']!['enum'] = ['OPEN'])),
      'state: enum narrowed: no longer CLOSED',
    ],
    [
      'tightening a pattern',
      edit((p) => (p['id']!['pattern'] = '^[A-H]{5}$')),
      'id: pattern changed from "^[A-Z]{5}$" to "^[A-H]{5}$"',
    ],
    [
      'tightening maxLength',
      edit((p) => (p['note']!['maxLength'] = 50)),
      'note: maxLength tightened from 100 to 50',
    ],
    [
      'bounding what had no bound',
      edit((p) => (p['tags']!['maxItems'] = 5)),
      'tags: maxItems tightened from none to 5',
    ],
    [
      'making a required field optional',
      edit((_p, s) => s.required.pop()),
      'actor: required field became optional',
    ],
    [
      'retyping an array’s items',
      edit((p) => (p['tags']!['items'] = { type: 'number' })),
      'tags[]: retyped from string to number',
    ],
    [
      'retyping inside a oneOf',
      edit((p) => (p['unit']!['oneOf'] = [{ type: 'string' }, { type: 'null' }])),
      'unit (oneOf #1): retyped from object to string',
    ],
    [
      'a keyword the rule does not know',
      edit((p) => (p['note']!['multipleOf'] = 2)),
      'note: multipleOf changed (a keyword the rule does not know: counted as breaking)',
    ],
  ])('%s breaks the topic version', (_what, current, expected) => {
    expect(breakingChanges(published, current).map((b) => `${b.path}: ${b.change}`)).toContain(expected);
  });

  it.each([
    ['adding an optional field', edit((p) => (p['channel'] = { type: 'string' }))],
    ['adding an enum value', edit((p) => (p['state']!['enum'] = ['OPEN', 'CLOSED', 'MERGED']))],
    ['raising maxLength', edit((p) => (p['note']!['maxLength'] = 4000))],
    ['dropping a pattern', edit((p) => delete p['id']!['pattern'])],
    ['adding a description', edit((p) => (p['note']!['description'] = 'shown to the public'))],
  ])('%s keeps it', (_what, current) => {
    expect(breakingChanges(published, current)).toEqual([]);
  });

  it('every topic of the code matches its published snapshot (npm run contracts:snapshot records a compatible change)', () => {
    const current = Object.fromEntries(Object.entries(TOPICS).map(([t, spec]) => [t, spec.schema]));
    const checks = checkAgainstSnapshots(current, join(ROOT, 'libs/contracts/schemas-published'));
    expect(describeChecks(checks.filter((c) => c.status !== 'published'))).toEqual([]);
    expect(checks.map((c) => c.topic).sort()).toEqual(Object.keys(TOPICS).sort());
  });
});

describe('npm run contracts:check and contracts:snapshot on a copy of the contracts', () => {
  const LIFECYCLE = 'src/topics/report-lifecycle.ts';
  const NOTE = "    publicNote: { type: 'string', maxLength: 4000 },\n";
  const copies: string[] = [];

  function copy(): string {
    const dir = mkdtempSync(join(tmpdir(), 'contracts-'));
    copies.push(dir);
    for (const part of ['src', 'schemas-published'])
      cpSync(join(ROOT, 'libs/contracts', part), join(dir, part), { recursive: true });
    return dir;
  }

  function change(dir: string, file: string, from: string, to: string): void {
    const text = readFileSync(join(dir, file), 'utf8');
    expect(text).toContain(from);
    writeFileSync(join(dir, file), text.split(from).join(to));
  }

  function run(command: 'check' | 'snapshot', dir: string): { status: number | null; out: string } {
    const result = spawnSync(
      process.execPath,
      ['-r', '@swc-node/register', join(__dirname, 'cli.ts'), command, '--contracts', dir],
      { cwd: ROOT, encoding: 'utf8' },
    );
    return { status: result.status, out: result.stdout + result.stderr };
  }

  afterAll(() => copies.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('fails on a removed field, and the snapshot command refuses to record it', () => {
    const dir = copy();
    change(dir, LIFECYCLE, NOTE, '');
    const check = run('check', dir);
    expect(check.out).toContain('aduan.report.lifecycle.v1: breaking\n  publicNote: field removed');
    expect(check.status).toBe(1);
    const before = readFileSync(join(dir, 'schemas-published/aduan.report.lifecycle.v1.json'), 'utf8');
    const snapshot = run('snapshot', dir);
    expect(snapshot.out).toContain('Nothing written');
    expect(snapshot.status).toBe(1);
    expect(readFileSync(join(dir, 'schemas-published/aduan.report.lifecycle.v1.json'), 'utf8')).toBe(before);
  });

  it('passes an additive optional field, which the snapshot command then records', () => {
    const dir = copy();
    change(dir, LIFECYCLE, NOTE, `${NOTE}    reason: { type: 'string' },\n`);
    const check = run('check', dir);
    expect(check.out).toContain('aduan.report.lifecycle.v1: compatible');
    expect(check.status).toBe(0);
    expect(run('snapshot', dir).status).toBe(0);
    const recorded = JSON.parse(
      readFileSync(join(dir, 'schemas-published/aduan.report.lifecycle.v1.json'), 'utf8'),
    ) as { properties: Record<string, unknown> };
    expect(recorded.properties['reason']).toEqual({ type: 'string' });
  });

  it('takes the same breaking change under a new topic version, once its snapshot is recorded', () => {
    const dir = copy();
    change(dir, LIFECYCLE, NOTE, '');
    change(dir, 'src/topic-map.ts', 'aduan.report.lifecycle.v1', 'aduan.report.lifecycle.v2');
    const check = run('check', dir);
    expect(check.out).toContain('aduan.report.lifecycle.v1: retired');
    expect(check.out).toContain('aduan.report.lifecycle.v2: new');
    expect(check.status).toBe(1);
    expect(run('snapshot', dir).status).toBe(0);
    const again = run('check', dir);
    expect(again.out).toContain('aduan.report.lifecycle.v2: published');
    expect(again.status).toBe(0);
  });
});
