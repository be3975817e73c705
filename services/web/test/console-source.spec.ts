import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { LIFECYCLE_STATES, STATE_LABELS } from '@aduan/contracts';

const CONSOLE = join(__dirname, '..', 'console');
const SOURCES = join(CONSOLE, 'src');
/** Generated from the status service's OpenAPI document: the API's own words, not a copy. */
const GENERATED = join(SOURCES, 'api', 'openapi.ts');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : /\.tsx?$/.test(name) ? [path] : [];
  });
}

const quoted = (word: string) => new RegExp(`(['"\`])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\1`);

/**
 * The console imports states and their labels from libs/contracts or reads them from the API
 * (ADR 0060); a copy drifts, as the old console's "Triase" did. A state named on its own must be
 * checked against the contracts' union by the compiler (`'X' satisfies LifecycleState`).
 */
describe('the console source', () => {
  const sources = files(SOURCES).filter((path) => path !== GENERATED);

  it('holds no copy of a state name or a state label', () => {
    const copies: string[] = [];
    for (const path of sources) {
      readFileSync(path, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          const where = `${relative(CONSOLE, path)}:${i + 1}`;
          for (const state of LIFECYCLE_STATES)
            if (quoted(state).test(line) && !line.includes('satisfies LifecycleState'))
              copies.push(`${where} names ${state}`);
            else if (new RegExp(`\\b${state}\\s*:`).test(line)) copies.push(`${where} maps ${state}`);
          for (const label of new Set(Object.values(STATE_LABELS)))
            if (quoted(label).test(line)) copies.push(`${where} copies the label "${label}"`);
        });
    }
    expect(copies).toEqual([]);
    expect(sources.length).toBeGreaterThan(5);
  });

  it('type-checks against the generated API types and libs/contracts', () => {
    const tsc = spawnSync(
      process.execPath,
      [require.resolve('typescript/bin/tsc'), '-p', join(CONSOLE, 'tsconfig.json')],
      { encoding: 'utf8' },
    );
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  }, 120_000);
});
