// Brings up what the services and tests need: a Kafka broker (started from Apache Kafka's
// jars when nothing answers on KAFKA_BROKERS) and a reachable PostgreSQL.
const { spawnSync } = require('node:child_process');
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

async function ensurePostgres() {
  const url = new URL(process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/aduan');
  const hostPort = `${url.hostname}:${url.port || 5432}`;
  if (!(await reachable(hostPort))) {
    throw new Error(
      `PostgreSQL does not answer on ${hostPort}. Start it (Debian: pg_ctlcluster 15 main start) or set DATABASE_URL.`,
    );
  }
}

module.exports = { ensureKafka, stopKafka, ensurePostgres, reachable, ROOT };
