#!/usr/bin/env node
// `npm start`: Kafka (started from its jars when none runs), the database, every service
// under services/, and the URLs to try. Ctrl-C stops all of it, and the broker if it started it.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const readline = require('node:readline');
const { loadEnv, parseEnvFile } = require('./env-file');
const { ensureKafka, ensurePostgres, stopKafka, ROOT } = require('./infra');

const COLORS = [36, 33, 35, 32, 34, 31, 96, 93, 95, 92];

function discoverServices() {
  const dir = path.join(ROOT, 'services');
  return fs
    .readdirSync(dir)
    .filter((name) => fs.existsSync(path.join(dir, name, 'src/main.ts')))
    .filter((name) => !(process.env.ADUAN_SERVICES && !process.env.ADUAN_SERVICES.split(',').includes(name)))
    .sort();
}

function formatLine(name, color, line) {
  const tag = `\x1b[${color}m${name.padEnd(16)}\x1b[0m`;
  try {
    const parsed = JSON.parse(line);
    const { level, msg } = parsed;
    const rest = { ...parsed };
    for (const k of ['time', 'level', 'service', 'msg', 'component']) delete rest[k];
    const extra = Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : '';
    const lvl = level === 'info' ? '' : ` ${level.toUpperCase()}`;
    return `${tag}${lvl} ${msg}${extra.length > 400 ? extra.slice(0, 400) + '…' : extra}`;
  } catch {
    return `${tag} ${line}`;
  }
}

async function main() {
  const envFile = loadEnv(ROOT);
  console.log(
    envFile
      ? `using settings from ${envFile} (the environment wins)`
      : 'no .env or .env.example: using defaults',
  );
  await ensurePostgres();
  const startedKafka = await ensureKafka();

  const services = discoverServices();
  const children = new Map();
  const urls = new Map();
  let stopping = false;

  services.forEach((name, i) => {
    const child = spawn(
      process.execPath,
      ['-r', '@swc-node/register', path.join('services', name, 'src/main.ts')],
      {
        cwd: ROOT,
        env: { ...process.env, KAFKAJS_NO_PARTITIONER_WARNING: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    children.set(name, child);
    const color = COLORS[i % COLORS.length];
    for (const stream of [child.stdout, child.stderr]) {
      readline.createInterface({ input: stream }).on('line', (line) => {
        try {
          const parsed = JSON.parse(line);
          if (parsed.msg === `${name} started`) {
            urls.set(name, parsed.urls);
            if (urls.size === services.length) printUrls(urls);
          }
        } catch {
          /* not a JSON line: printed as it is below */
        }
        console.log(formatLine(name, color, line));
      });
    }
    child.on('exit', (code) => {
      children.delete(name);
      if (!stopping) {
        console.error(`\n${name} exited with code ${code}; stopping the others`);
        shutdown(1);
      }
    });
  });

  function printUrls(all) {
    console.log('\nAduan is up:');
    for (const [name, list] of all) for (const url of list) console.log(`  ${name.padEnd(16)} ${url}`);
    console.log(nextSteps(process.env));
    console.log('Press Ctrl-C to stop.\n');
  }

  function shutdown(exitCode) {
    if (stopping) return;
    stopping = true;
    for (const child of children.values()) child.kill('SIGTERM');
    const waitAll = setInterval(() => {
      if (children.size) return;
      clearInterval(waitAll);
      if (startedKafka) stopKafka();
      process.exit(exitCode);
    }, 100);
  }
  process.on('SIGINT', () => shutdown(0));
  process.on('SIGTERM', () => shutdown(0));
}

function developmentValue(name) {
  const file = path.join(ROOT, '.env.example');
  return fs.existsSync(file) ? parseEnvFile(fs.readFileSync(file, 'utf8'))[name] : undefined;
}

/** What a newcomer tries first, with the ports and development credentials in force. */
function nextSteps(env) {
  const port = (name, fallback) => env[name] || fallback;
  const jakiKey = (env.JAKI_API_KEYS || '').split(',')[0]?.split(':').pop()?.trim();
  const admin = env.OFFICER_BOOTSTRAP_ADMIN;
  const web = `http://127.0.0.1:${port('WEB_PORT', '3000')}`;
  const lines = ['', 'Try it:'];
  if (jakiKey) {
    lines.push(
      '  # a complaint from the JAKI app; the answer carries its tracking code',
      `  curl -s -X POST http://127.0.0.1:${port('JAKI_PORT', '3101')}/v1/reports \\`,
      `    -H 'X-API-Key: ${jakiKey}' -H 'Content-Type: application/json' \\`,
      `    -d '{"text":"Jalan berlubang dalam di depan SD, bahaya buat motor","category":"Jalan","location":{"lat":-6.1706,"lon":106.810469}}'`,
      '  # where it went (routing, unit, area, timeline)',
      `  curl -s http://127.0.0.1:${port('STATUS_PORT', '3300')}/v1/public/reports/<trackingCode>`,
    );
  } else {
    lines.push('  (set JAKI_API_KEYS to send a complaint through the JAKI API)');
  }
  lines.push(`  tracking page    ${web}/lacak/<trackingCode>`);
  // Only the published development sign-in is printed: a real password never reaches the terminal.
  const devAdmin = developmentValue('OFFICER_BOOTSTRAP_ADMIN');
  const signIn =
    admin && admin === devAdmin
      ? `  (sign in as ${admin.split(':')[0]} / ${admin.slice(admin.indexOf(':') + 1)})`
      : admin
        ? '  (sign in with the account of OFFICER_BOOTSTRAP_ADMIN)'
        : '';
  lines.push(`  officer console  ${web}/console/${signIn}`);
  lines.push('');
  return lines.join('\n');
}

main().catch((err) => {
  console.error(`npm start: ${err.message}`);
  process.exit(1);
});
