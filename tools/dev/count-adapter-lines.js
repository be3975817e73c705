#!/usr/bin/env node
// The channel adapters' own lines (src/**/*.ts without *.spec.ts, as `wc -l` counts them) next
// to what each had before the channel kit, as a markdown table: `npm run count:adapters`.
const { readdirSync, readFileSync, existsSync } = require('node:fs');
const { join } = require('node:path');

const ROOT = join(__dirname, '../..');

/** Own lines before the channel kit, as the issue measured them: the kit's goal is measured by these. */
const BEFORE = {
  'channel-email': 1050,
  'channel-whatsapp': 1369,
  'channel-jaki': 1015,
  'channel-officer': 518,
};

function tsFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return tsFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** Newlines, as `wc -l` counts them. */
function lines(file) {
  let n = 0;
  for (const byte of readFileSync(file)) if (byte === 0x0a) n++;
  return n;
}

function change(before, now) {
  const pct = ((now - before) / before) * 100;
  return `${pct > 0 ? '+' : ''}${pct.toFixed(1)} %`;
}

const adapters = readdirSync(join(ROOT, 'services'))
  .filter((name) => name.startsWith('channel-'))
  .sort()
  .map((name) => {
    const files = tsFiles(join(ROOT, 'services', name, 'src'));
    return {
      name,
      files: files.length,
      now: files.reduce((sum, f) => sum + lines(f), 0),
      before: BEFORE[name],
    };
  });

const rows = ['| adapter | files | lines before the kit | lines now | change |', '|---|---:|---:|---:|---:|'];
for (const a of adapters)
  rows.push(
    `| ${a.name} | ${a.files} | ${a.before ?? '—'} | ${a.now} | ${a.before ? change(a.before, a.now) : 'new'} |`,
  );
const measured = adapters.filter((a) => a.before);
const before = measured.reduce((sum, a) => sum + a.before, 0);
const now = measured.reduce((sum, a) => sum + a.now, 0);
rows.push(
  `| **the ${measured.length} adapters from before the kit** | | ${before} | ${now} | ${change(before, now)} |`,
);
console.log(rows.join('\n'));
