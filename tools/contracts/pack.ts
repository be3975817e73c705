import { spawnSync } from 'node:child_process';
import { mkdirSync, renameSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');
export const CONTRACTS_DIR = join(ROOT, 'libs/contracts');
// npm pack builds libs/contracts/dist first; two suites doing so at once delete each other's files.
const BUILD_LOCK = join(tmpdir(), 'aduan-contracts-build.lock');

export interface Packed {
  name: string;
  version: string;
  filename: string;
  files: Array<{ path: string; size: number }>;
}

/** `npm pack --json` of libs/contracts, as a publish would make it (prepack builds dist/). */
export function npmPack(args: string[]): Packed {
  const run = spawnSync('flock', [BUILD_LOCK, 'npm', 'pack', '--json', ...args], {
    cwd: CONTRACTS_DIR,
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`npm pack failed (${run.status}):\n${run.stderr}`);
  return (JSON.parse(run.stdout) as Packed[])[0]!;
}

/**
 * Installs the packed tarball into `appDir/node_modules`, as `npm install` would, with the
 * other packages an app needs linked from this repository's node_modules (no registry).
 */
export function installPackedContracts(appDir: string, alsoLink: string[]): Packed {
  const packed = npmPack(['--pack-destination', appDir]);
  const modules = join(appDir, 'node_modules');
  mkdirSync(join(modules, '@aduan'), { recursive: true });
  const tar = spawnSync('tar', ['-xzf', join(appDir, packed.filename), '-C', join(modules, '@aduan')], {
    encoding: 'utf8',
  });
  if (tar.status !== 0) throw new Error(`tar failed: ${tar.stderr}`);
  renameSync(join(modules, '@aduan/package'), join(modules, '@aduan/contracts'));
  for (const name of alsoLink) {
    mkdirSync(join(modules, name, '..'), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules', name), join(modules, name), 'dir');
  }
  return packed;
}
