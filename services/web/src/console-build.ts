import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The officer console is TypeScript built by Vite (docs/adr/0060-typed-console.md). The web
 * service builds it itself when the built files are missing or older than their sources, so a
 * fresh clone works with `npm start` or `npm test` and nothing run by hand. A production image
 * builds it once at image build time and ships no sources, so nothing is built there.
 */
const WEB = join(__dirname, '..');
const ROOT = join(WEB, '..', '..');
export const CONSOLE_SOURCES = join(WEB, 'console');
export const CONSOLE_DIST = join(WEB, 'dist', 'console');
const STAMP = join(CONSOLE_DIST, '.built');
/** Besides the console's own folder, what it imports: the contracts' words and the shared stylesheet. */
const EXTRA_INPUTS = [
  join(ROOT, 'libs', 'contracts', 'src', 'vocabulary.ts'),
  join(WEB, 'public', 'assets', 'site.css'),
];
const LOCK = join(WEB, 'dist', '.console-build.lock');
/** A lock older than this was left by a build that died; the next start takes over. */
const LOCK_STALE_MS = 120_000;

function newest(path: string): number {
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let latest = info.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules') continue;
    latest = Math.max(latest, newest(join(path, entry)));
  }
  return latest;
}

/** Why the console needs building, or null when the built files are current. */
export function consoleStaleness(): string | null {
  if (!existsSync(STAMP)) return 'not built yet';
  const built = statSync(STAMP).mtimeMs;
  const inputs = [CONSOLE_SOURCES, ...EXTRA_INPUTS].filter((p) => existsSync(p));
  return inputs.some((p) => newest(p) > built) ? 'sources changed' : null;
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Several processes may start at once (parallel test suites): one builds, the others wait for it. */
function withLock<T>(work: () => T): T {
  mkdirSync(join(WEB, 'dist'), { recursive: true });
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const since = statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
      if (Date.now() - since > LOCK_STALE_MS) rmSync(LOCK, { recursive: true, force: true });
      else sleep(250);
    }
  }
  try {
    return work();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

function viteCli(): string {
  try {
    return join(dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
  } catch {
    throw new Error(
      'the officer console needs building but Vite is not installed: run `npm ci` (with dev dependencies)',
    );
  }
}

/**
 * Builds into a fresh folder and swaps it in, so a page being served never sees half a build.
 * Answers what it did in one line, or null when there was nothing to do.
 */
export function ensureConsoleBuilt(production = false): string | null {
  // An image is built once with its console; it never builds at start-up, whatever the mtimes say.
  if (!existsSync(CONSOLE_SOURCES) || production) {
    if (existsSync(join(CONSOLE_DIST, 'index.html'))) return null;
    throw new Error(
      `the officer console is not built (${CONSOLE_DIST}): run \`node -r @swc-node/register services/web/src/console-build.ts\` where the dev dependencies are installed (the image's build stage)`,
    );
  }
  if (!consoleStaleness()) return null;
  return withLock(() => {
    const why = consoleStaleness();
    if (!why) return null;
    const started = Date.now();
    const next = `${CONSOLE_DIST}.next-${process.pid}`;
    const done = spawnSync(
      process.execPath,
      [viteCli(), 'build', '--config', join(CONSOLE_SOURCES, 'vite.config.mts'), '--outDir', next],
      { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } },
    );
    if (done.status !== 0) {
      rmSync(next, { recursive: true, force: true });
      throw new Error(`building the officer console failed:\n${done.stderr || done.stdout}`);
    }
    writeFileSync(join(next, '.built'), new Date().toISOString());
    const old = `${CONSOLE_DIST}.old-${process.pid}`;
    if (existsSync(CONSOLE_DIST)) renameSync(CONSOLE_DIST, old);
    renameSync(next, CONSOLE_DIST);
    rmSync(old, { recursive: true, force: true });
    return `officer console built (${why}) in ${Date.now() - started} ms`;
  });
}

// `node -r @swc-node/register services/web/src/console-build.ts`: the image build's step.
if (require.main === module) {
  // Run by hand or by the image's build stage: always builds what is stale.
  console.log(ensureConsoleBuilt() ?? 'officer console is up to date');
}
