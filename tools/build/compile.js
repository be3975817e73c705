#!/usr/bin/env node
/**
 * `npm run build`: the services as plain JavaScript under dist/, for containers and the bench.
 *
 * Running TypeScript through @swc-node/register compiles every file at start-up and keeps the
 * compiler loaded: about 80 MB of resident memory per service before it has done anything
 * (ADR 0079). Here every `.ts` under libs/ and services/ (tests and the browser console's
 * sources aside) is compiled once, with the same settings as .swcrc, into the same place under
 * dist/; `@aduan/*` imports become relative paths; every other file (reference data, models,
 * holidays, the web pages, the built console) is copied beside them, so each `__dirname`-relative
 * read finds what it finds in the repository. Packages still resolve from the root's
 * node_modules. Plain JavaScript, so it runs where only `npm ci` ran.
 */
const { mkdirSync, readdirSync, rmSync, copyFileSync, writeFileSync, readFileSync } = require('node:fs');
const { dirname, join, relative } = require('node:path');
const swc = require('@swc/core');

const ROOT = join(__dirname, '..', '..');
const OUT = join(ROOT, 'dist');
/** Trees the services run from. */
const SOURCES = ['libs', 'services'];
/** Never part of a running service: dependencies, tests, and the console's browser sources (Vite builds those). */
const SKIP_DIRS = new Set(['node_modules', 'test', 'coverage']);
const SKIP_PATHS = new Set([join('services', 'web', 'console')]);
const isTest = (name) => /\.(integration-)?spec\.ts$/.test(name) || name.endsWith('.probe.ts');

function swcOptions() {
  const rc = JSON.parse(readFileSync(join(ROOT, '.swcrc'), 'utf8'));
  delete rc.$schema;
  return {
    ...rc,
    swcrc: false,
    sourceMaps: false,
    jsc: { ...rc.jsc, baseUrl: ROOT, paths: { '@aduan/*': ['./libs/*/src/index.ts'] } },
  };
}

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const rel = relative(ROOT, path);
    if (entry.isDirectory()) {
      if (SKIP_DIRS.has(entry.name) || SKIP_PATHS.has(rel)) continue;
      yield* files(path);
    } else if (entry.isFile()) yield path;
  }
}

function build() {
  const started = Date.now();
  rmSync(OUT, { recursive: true, force: true });
  const options = swcOptions();
  let compiled = 0;
  let copied = 0;
  for (const top of SOURCES)
    for (const path of files(join(ROOT, top))) {
      const rel = relative(ROOT, path);
      if (path.endsWith('.ts') && !path.endsWith('.d.ts')) {
        if (isTest(path)) continue;
        const { code } = swc.transformFileSync(path, { ...options, filename: path });
        const target = join(OUT, rel.replace(/\.ts$/, '.js'));
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, code);
        compiled++;
      } else {
        const target = join(OUT, rel);
        mkdirSync(dirname(target), { recursive: true });
        copyFileSync(path, target);
        copied++;
      }
    }
  writeFileSync(
    join(OUT, 'BUILT'),
    `built ${new Date().toISOString()} from ${compiled} TypeScript files; ${copied} other files copied\n`,
  );
  return { compiled, copied, seconds: (Date.now() - started) / 1000 };
}

module.exports = { build };

if (require.main === module) {
  const { compiled, copied, seconds } = build();
  console.log(`build: ${compiled} files compiled, ${copied} copied into dist/ in ${seconds.toFixed(1)} s`);
}
