#!/usr/bin/env node
// `npm run check:first-run`: what a newcomer does on a fresh machine, three times in a row.
// Each round deletes the broker's data and a database of its own, runs `npm start`, waits for
// "Aduan is up", sends the README's complaint and reads it back from the public API until it
// is routed, then stops everything with Ctrl-C. The broker runs on a port and in a folder of
// its own, so a broker already running for development is left alone.
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Client } = require('pg');
const { ensurePostgres, ROOT } = require('./infra');

const ROUNDS = Number(process.env.FIRST_RUN_ROUNDS || 3);
const UP_WITHIN_MS = Number(process.env.FIRST_RUN_UP_WITHIN_S || 300) * 1000;
const ROUTED_WITHIN_MS = 30_000;

const env = {
  ...process.env,
  KAFKA_BROKERS: process.env.FIRST_RUN_KAFKA || '127.0.0.1:19092',
  ADUAN_CACHE_DIR: process.env.FIRST_RUN_CACHE_DIR || path.join(os.tmpdir(), 'aduan-first-run'),
  DATABASE_URL: process.env.FIRST_RUN_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/aduan_first_run',
  NODE_ENV: 'development',
};

function kafka(command) {
  const r = spawnSync('bash', [path.join(ROOT, 'deploy/local/kafka.sh'), command], { env, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`kafka.sh ${command} exited ${r.status}`);
}

async function dropDatabase() {
  const admin = new URL(env.DATABASE_URL);
  const name = admin.pathname.slice(1);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name.replace(/"/g, '')}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

function startStack() {
  const child = spawn('npm', ['start'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const log = [];
  let up = false;
  const upPromise = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not up within ${UP_WITHIN_MS / 1000} s`)), UP_WITHIN_MS);
    const onLine = (chunk) => {
      for (const line of chunk.toString().split('\n')) {
        if (!line) continue;
        log.push(line);
        if (line.includes('Aduan is up')) {
          up = true;
          clearTimeout(timer);
          resolve();
        }
      }
    };
    child.stdout.on('data', onLine);
    child.stderr.on('data', onLine);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (!up) reject(new Error(`npm start exited with code ${code} before it was up`));
    });
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  return { child, log, upPromise, exited };
}

async function readmeComplaint() {
  const res = await fetch('http://127.0.0.1:3101/v1/reports', {
    method: 'POST',
    headers: { 'X-API-Key': 'dev-jaki-key', 'Content-Type': 'application/json' },
    body: JSON.stringify({
      text: 'Jalan berlubang dalam di depan SD, bahaya buat motor',
      category: 'Jalan',
      location: { lat: -6.1706, lon: 106.810469 },
    }),
  });
  const body = await res.json();
  if (res.status !== 202 || !body.trackingCode)
    throw new Error(`intake answered ${res.status} ${JSON.stringify(body)}`);
  const deadline = Date.now() + ROUTED_WITHIN_MS;
  for (;;) {
    const view = await fetch(`http://127.0.0.1:3300/v1/public/reports/${body.trackingCode}`);
    const report = view.ok ? await view.json() : null;
    if (report && report.routing) return { code: body.trackingCode, report };
    if (Date.now() > deadline)
      throw new Error(`${body.trackingCode} not routed within ${ROUTED_WITHIN_MS / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function round(n) {
  kafka('reset');
  await dropDatabase();
  const started = Date.now();
  const stack = startStack();
  try {
    await stack.upPromise;
    const upAfter = (Date.now() - started) / 1000;
    const { code, report } = await readmeComplaint();
    const waits = stack.log.filter((l) => l.includes('waiting for')).length;
    console.log(
      `first run ${n}/${ROUNDS}: up after ${upAfter.toFixed(1)} s (${waits} start-up waits); ${code} ${report.routing} → ${report.unit?.name ?? 'no unit'}`,
    );
  } catch (err) {
    console.error(stack.log.slice(-60).join('\n'));
    throw new Error(`first run ${n}/${ROUNDS}: ${err.message}`);
  } finally {
    const stopping = Date.now();
    try {
      process.kill(-stack.child.pid, 'SIGINT');
    } catch {
      /* already gone */
    }
    await Promise.race([stack.exited, new Promise((r) => setTimeout(r, 60_000))]);
    console.log(`first run ${n}/${ROUNDS}: stopped after ${((Date.now() - stopping) / 1000).toFixed(1)} s`);
  }
}

async function main() {
  await ensurePostgres();
  fs.mkdirSync(env.ADUAN_CACHE_DIR, { recursive: true });
  for (let n = 1; n <= ROUNDS; n++) await round(n);
  kafka('stop');
  await dropDatabase();
  console.log(`first run: ${ROUNDS} of ${ROUNDS} fresh starts came up and answered the README's curl`);
}

main().catch((err) => {
  console.error(err.message);
  spawnSync('bash', [path.join(ROOT, 'deploy/local/kafka.sh'), 'stop'], { env, stdio: 'inherit' });
  process.exit(1);
});
