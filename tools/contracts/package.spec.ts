import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TOPIC_NAMES } from '@aduan/contracts';
import { CONTRACTS_DIR, npmPack, type Packed } from './pack';

describe('@aduan/contracts as npm packs it', () => {
  let packed: Packed;
  let files: string[];
  const manifest = JSON.parse(readFileSync(join(CONTRACTS_DIR, 'package.json'), 'utf8')) as {
    exports: Record<string, string | Record<string, string>>;
    dependencies: Record<string, string>;
  };

  beforeAll(() => {
    packed = npmPack(['--dry-run']);
    files = packed.files.map((f) => f.path);
  });

  it('is the published package, with the compiled helper and the types of every event', () => {
    expect(packed.name).toBe('@aduan/contracts');
    expect(packed.version).toMatch(/^\d+\.\d+\.\d+$/);
    for (const module of [
      'index',
      'consumer',
      'types',
      'topic-map',
      'validation',
      'cloud-events',
      'vocabulary',
    ])
      expect(files).toEqual(expect.arrayContaining([`dist/${module}.js`, `dist/${module}.d.ts`]));
    expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'asyncapi.json']));
  });

  it('carries the JSON Schema of every topic as a file', () => {
    expect(files.filter((f) => f.startsWith('dist/schemas/')).sort()).toEqual(
      TOPIC_NAMES.map((t) => `dist/schemas/${t}.json`).sort(),
    );
  });

  it('resolves every export to a packed file', () => {
    const targets = Object.values(manifest.exports).flatMap((t) =>
      typeof t === 'string' ? [t] : Object.values(t),
    );
    for (const target of targets) {
      const pattern = new RegExp(
        `^${target.replace(/^\.\//, '').replace(/\./g, '\\.').replace('*', '[^/]+')}$`,
      );
      expect([target, files.some((f) => pattern.test(f))]).toEqual([target, true]);
    }
  });

  it('leaves out tests, sources and build tooling', () => {
    expect(files.filter((f) => /\.spec\.|^src\/|^scripts\/|schemas-published/.test(f))).toEqual([]);
  });

  it('needs no Kafka client: its code imports only node, its own files and the dependencies it declares', () => {
    const sources = [join(CONTRACTS_DIR, 'src'), join(CONTRACTS_DIR, 'src/topics')].flatMap((dir) =>
      readdirSync(dir)
        .filter((f) => f.endsWith('.ts') && !f.includes('.spec.'))
        .map((f) => readFileSync(join(dir, f), 'utf8')),
    );
    const imported = new Set(
      sources.flatMap((text) => [...text.matchAll(/from '([^']+)'/g)].map((m) => m[1]!)),
    );
    const foreign = [...imported].filter((m) => !m.startsWith('.') && !m.startsWith('node:'));
    expect(foreign.sort()).toEqual(Object.keys(manifest.dependencies).sort());
  });
});
