import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ENV_VAR = 'ADUAN_REFERENCE_DATA_DIR';
let override: string | undefined;

/** Lets a bundled service (where `__dirname` no longer points into the repo) say where the files are. */
export function setReferenceDataDir(dir: string | undefined): void {
  override = dir;
}

export function referenceDataDir(): string {
  if (override) return override;
  const fromEnv = process.env[ENV_VAR];
  if (fromEnv) return fromEnv;
  const besidePackage = typeof __dirname === 'string' ? resolve(__dirname, '..', 'data') : undefined;
  if (besidePackage && existsSync(join(besidePackage, 'wilayah.json'))) return besidePackage;
  // Fallback for ESM or bundled runs started from somewhere inside the repo.
  let dir = process.cwd();
  for (let i = 0; i < 8; i++) {
    const candidate = join(dir, 'libs', 'reference-data', 'data');
    if (existsSync(join(candidate, 'wilayah.json'))) return candidate;
    const parent = resolve(dir, '..');
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error(
    `@aduan/reference-data: data directory not found; set ${ENV_VAR} to the folder holding wilayah.json`,
  );
}
