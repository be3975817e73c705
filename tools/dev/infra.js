// Brings up what the services and tests need: a Kafka broker (started from Apache Kafka's
// jars when nothing answers on KAFKA_BROKERS) and a reachable PostgreSQL.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../..');

function reachable(hostPort, timeoutMs = 1500) {
  const [host, port] = [
    hostPort.slice(0, hostPort.lastIndexOf(':')),
    Number(hostPort.slice(hostPort.lastIndexOf(':') + 1)),
  ];
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Returns true when this call started the broker (so the caller may stop it again). */
async function ensureKafka() {
  const first = (process.env.KAFKA_BROKERS || '127.0.0.1:9092').split(',')[0].trim();
  if (await reachable(first)) return false;
  const result = spawnSync('bash', [path.join(ROOT, 'deploy/local/kafka.sh'), 'start'], {
    stdio: 'inherit',
    env: process.env,
  });
  if (result.status !== 0) {
    throw new Error(
      `Kafka did not start (deploy/local/kafka.sh start exited ${result.status}); see .cache/kafka/logs`,
    );
  }
  return true;
}

function stopKafka() {
  spawnSync('bash', [path.join(ROOT, 'deploy/local/kafka.sh'), 'stop'], {
    stdio: 'inherit',
    env: process.env,
  });
}

/**
 * PostgreSQL must answer on DATABASE_URL. A local Debian cluster that is installed but stopped
 * (a rebooted machine) is started, as CI does; anything else is the operator's to start.
 */
async function ensurePostgres() {
  const url = new URL(process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/aduan');
  const hostPort = `${url.hostname}:${url.port || 5432}`;
  if (await reachable(hostPort)) return;
  const local = ['127.0.0.1', 'localhost', '::1', '[::1]'].includes(url.hostname);
  const clusters = fs.existsSync('/etc/postgresql') ? fs.readdirSync('/etc/postgresql') : [];
  if (local && clusters.length && commandExists('pg_ctlcluster')) {
    console.log(`PostgreSQL does not answer on ${hostPort}; starting the local cluster ${clusters[0]}/main`);
    const sudo = process.getuid?.() === 0 ? [] : ['sudo', '-n'];
    const [cmd, ...args] = [
      ...sudo,
      'pg_ctlcluster',
      '--skip-systemctl-redirect',
      clusters[0],
      'main',
      'start',
    ];
    spawnSync(cmd, args, { stdio: 'inherit' });
    for (let i = 0; i < 30 && !(await reachable(hostPort)); i++)
      await new Promise((r) => setTimeout(r, 1000));
    if (await reachable(hostPort)) return;
  }
  throw new Error(
    `PostgreSQL does not answer on ${hostPort}. Start it (Debian: sudo pg_ctlcluster 15 main start) or set DATABASE_URL.`,
  );
}

function commandExists(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/**
 * The e-mail tests need a real IMAP server (Dovecot) and the browser tests Debian's Chromium.
 * Missing ones are installed with the repository's own script where this user may (root, or
 * sudo without a password); otherwise the run stops at once with the one command to run.
 */
function ensureTestPackages() {
  const script = path.join(ROOT, 'deploy/local/install-test-deps.sh');
  const check = spawnSync('bash', [script, '--check'], { encoding: 'utf8' });
  if (check.status === 0) return;
  const missing = check.stdout.trim();
  const mayInstall =
    commandExists('apt-get') &&
    (process.getuid?.() === 0 || spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0);
  if (!mayInstall) {
    throw new Error(
      `${missing} needed by the e-mail and browser tests; install them once with: sudo bash deploy/local/install-test-deps.sh`,
    );
  }
  const result = spawnSync('bash', [script], { stdio: 'inherit' });
  if (result.status !== 0)
    throw new Error(`deploy/local/install-test-deps.sh exited ${result.status}; run it by hand to see why`);
}

module.exports = { ensureKafka, stopKafka, ensurePostgres, ensureTestPackages, reachable, ROOT };
