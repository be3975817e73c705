import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';

const run = promisify(execFile);
const ROOT = join(__dirname, '../..');

/**
 * The fault run's own PostgreSQL and Kafka broker: it stops and kills them, so it must never
 * touch the machine's shared ones that other runs (and people) are using.
 */

/** A TCP port nothing listens on now (and, for Kafka, the one above it for the controller). */
export async function freePort(pair = false): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    if (!pair || (port < 65535 && (await portFree(port + 1)))) return port;
  }
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

export interface PrivatePostgres {
  url: string;
  /** Stops the server: `fast` lets sessions end, `immediate` is a crash (recovery on start). */
  stop(mode: 'fast' | 'immediate'): Promise<void>;
  start(): Promise<void>;
  /** Stops it for good and deletes its folder. */
  destroy(): Promise<void>;
}

function postgresBin(name: string): string {
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base)
    ? readdirSync(base)
        .filter((v) => existsSync(join(base, v, 'bin', name)))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (!versions.length)
    throw new Error(`${name} not found under ${base}/*/bin: install the PostgreSQL server package`);
  return join(base, versions[0]!, 'bin', name);
}

/** PostgreSQL refuses to run as root: the cluster then belongs to the `postgres` account. */
async function asOwner(command: string, args: string[]): Promise<void> {
  const root = process.getuid?.() === 0;
  const [file, argv] = root ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
  await run(file, argv, { cwd: tmpdir() });
}

/** `initdb` in a temporary folder and a server of its own on a free port, with one database. */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'aduan-faults-pg-'));
  const data = join(dir, 'data');
  if (process.getuid?.() === 0) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const port = await freePort();
  await asOwner(postgresBin('initdb'), [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=trust',
    '-E',
    'UTF8',
    '--locale=C',
    '--no-sync',
  ]);
  const options = [
    `-p ${port}`,
    `-k ${dir}`,
    "-c listen_addresses='127.0.0.1'",
    '-c max_connections=200',
    // Only this run's processes die here, never the machine: the page cache survives a crash.
    '-c fsync=off',
  ].join(' ');
  const pgCtl = postgresBin('pg_ctl');
  const start = () =>
    asOwner(pgCtl, ['-D', data, '-o', options, '-l', join(dir, 'server.log'), '-w', 'start']);
  const stop = (mode: 'fast' | 'immediate') => asOwner(pgCtl, ['-D', data, '-m', mode, '-w', 'stop']);
  await start();
  const url = `postgres://postgres@127.0.0.1:${port}/aduan_faults`;
  const admin = new Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` });
  await admin.connect();
  await admin.query('CREATE DATABASE aduan_faults');
  await admin.end();
  return {
    url,
    start,
    stop,
    async destroy() {
      await stop('immediate').catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface PrivateKafka {
  brokers: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

/**
 * A broker of its own from the jars `deploy/local/kafka.sh` resolved for the shared one: the
 * script runs with a cache folder of its own (config, data, logs, pid) whose `lib` is the
 * shared jars, so nothing is downloaded and the shared broker's files are never read or written.
 */
export async function startPrivateKafka(): Promise<PrivateKafka> {
  const jars = join(ROOT, '.cache/kafka/lib');
  if (!existsSync(jars))
    throw new Error(`no Kafka jars in ${jars}: run 'npm run kafka -- install' once (it needs Maven)`);
  const dir = mkdtempSync(join(tmpdir(), 'aduan-faults-kafka-'));
  mkdirSync(join(dir, 'kafka'));
  symlinkSync(jars, join(dir, 'kafka', 'lib'));
  const brokers = `127.0.0.1:${await freePort(true)}`;
  const kafkaSh = (command: 'start' | 'stop') =>
    run('bash', [join(ROOT, 'deploy/local/kafka.sh'), command], {
      env: {
        ...process.env,
        ADUAN_CACHE_DIR: dir,
        KAFKA_BROKERS: brokers,
        KAFKA_HEAP_OPTS: '-Xms128m -Xmx384m',
      },
    }).then(() => undefined);
  // Twice on a loaded machine `start` reported a broker whose log showed it starting as exited;
  // asked again, the script waits for the broker it finds running, or starts one.
  const start = () => kafkaSh('start').catch(() => kafkaSh('start'));
  await start();
  return {
    brokers,
    start,
    stop: () => kafkaSh('stop'),
    async destroy() {
      await kafkaSh('stop').catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
