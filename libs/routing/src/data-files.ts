import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ENV_VAR = 'ADUAN_ROUTING_DATA_DIR';

/** Folder of the curated routing data (landmarks, lexicon, slang). Overridable for bundled services. */
export function routingDataDir(): string {
  const fromEnv = process.env[ENV_VAR];
  if (fromEnv) return fromEnv;
  const besideSource = typeof __dirname === 'string' ? resolve(__dirname, '..', 'data') : undefined;
  if (besideSource && existsSync(join(besideSource, 'landmarks.json'))) return besideSource;
  let dir = process.cwd();
  for (let i = 0; i < 8; i++) {
    const candidate = join(dir, 'libs', 'routing', 'data');
    if (existsSync(join(candidate, 'landmarks.json'))) return candidate;
    const parent = resolve(dir, '..');
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error(
    `@aduan/routing: data directory not found; set ${ENV_VAR} to the folder holding landmarks.json`,
  );
}

export function readRoutingJson(file: string): unknown {
  return JSON.parse(readFileSync(join(routingDataDir(), file), 'utf8')) as unknown;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
