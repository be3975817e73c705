#!/usr/bin/env node
// Builds the package as it is published: JavaScript and type declarations in dist/, and each
// topic's JSON Schema as dist/schemas/<topic>.json for apps that validate without this code.
// `--out-dir <dir>` builds elsewhere (a test's own copy), leaving dist/ alone.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const at = process.argv.indexOf('--out-dir');
const outDir = at > 0 ? path.resolve(process.argv[at + 1]) : path.join(root, 'dist');

fs.rmSync(outDir, { recursive: true, force: true });
const tsc = spawnSync(
  process.execPath,
  [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json'), '--outDir', outDir],
  // stderr only: `npm pack --json` prints its answer on stdout.
  { stdio: ['ignore', 2, 2] },
);
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

const { TOPICS, TOPIC_NAMES } = require(path.join(outDir, 'index.js'));
fs.mkdirSync(path.join(outDir, 'schemas'));
for (const topic of TOPIC_NAMES) {
  fs.writeFileSync(
    path.join(outDir, 'schemas', `${topic}.json`),
    JSON.stringify(TOPICS[topic].schema, null, 2) + '\n',
  );
}
console.error(`built ${path.relative(process.cwd(), outDir) || '.'}: ${TOPIC_NAMES.length} topic schemas`);
