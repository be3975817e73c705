import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import {
  startRecordingServer,
  startServiceProcess,
  type RecordingServer,
  type ServiceProcess,
} from '@aduan/testing';
import { freePort } from '../../e2e/faults/private-infra';
// The same start-up as `npm start`: its settings file, its broker and database checks.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { loadEnv } = require('../dev/env-file') as { loadEnv: (root: string) => string | null };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const infra = require('../dev/infra') as {
  ensureKafka: () => Promise<boolean>;
  stopKafka: () => void;
  ensurePostgres: () => Promise<void>;
  ROOT: string;
};

/** The intake path: what a complaint crosses from the door to the public API. */
export const INTAKE_PATH = ['status', 'router', 'channel-jaki', 'channel-whatsapp'];
export const BENCH_DATABASE = 'aduan_bench';
export const WHATSAPP_APP_SECRET = 'bench-whatsapp-app-secret';

export interface Stack {
  brokers: string[];
  topicPrefix: string;
  partitions: number;
  databaseUrl: string;
  services: Map<string, ServiceProcess>;
  urls: { jaki: string; whatsapp: string; status: string };
  jakiApiKey: string;
  /** The WhatsApp Cloud API stand-in the adapter answers citizens through. */
  cloudApi: RecordingServer;
  logDir: string;
  /** Stops every service, then the broker if the bench started it; safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Ports of `.env.example` moved to free ones, and every URL naming the old port with them, so
 * the bench runs beside a developer's `npm start` or a CI run without taking their ports.
 */
export async function movePorts(env: NodeJS.ProcessEnv): Promise<NodeJS.ProcessEnv> {
  const moved = new Map<string, string>();
  const out: NodeJS.ProcessEnv = { ...env };
  for (const [name, value] of Object.entries(env))
    if (name.endsWith('_PORT') && value && /^\d+$/.test(value)) {
      const port = String(await freePort());
      moved.set(value, port);
      out[name] = port;
    }
  for (const [name, value] of Object.entries(out)) {
    if (!value || name.endsWith('_PORT')) continue;
    out[name] = value.replace(/\/\/(localhost|127\.0\.0\.1):(\d+)/g, (all, _host: string, port: string) =>
      moved.has(port) ? `//127.0.0.1:${moved.get(port)}` : all,
    );
  }
  return out;
}

async function recreateDatabase(serverUrl: string, name: string): Promise<string> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
  const admin = new URL(serverUrl);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export interface StackOptions {
  services: string[];
  runId: string;
  logDir: string;
  say: (line: string) => void;
  /** Set for the services only, after the bench's own settings. */
  env?: NodeJS.ProcessEnv;
  /** Options for node running each service, e.g. `--cpu-prof`. */
  nodeArgs?: readonly string[];
  /** Runs the compiled services of `npm run build` (dist/), as the container image does. */
  built?: boolean;
}

/** Kafka and PostgreSQL as `npm start` brings them up, a database and topics of the bench's own. */
export async function startInfra(o: Pick<StackOptions, 'runId' | 'say'> & { database?: string }) {
  loadEnv(infra.ROOT);
  await infra.ensurePostgres();
  const startedKafka = await infra.ensureKafka();
  const databaseUrl = await recreateDatabase(
    process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/aduan',
    o.database ?? BENCH_DATABASE,
  );
  const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((b) => b.trim());
  const topicPrefix = `bench.${o.runId}.`;
  o.say(
    `PostgreSQL ${databaseUrl}, Kafka ${brokers.join(',')}${startedKafka ? ' (started)' : ''}, topics ${topicPrefix}*`,
  );
  return {
    databaseUrl,
    brokers,
    topicPrefix,
    partitions: Number(process.env.KAFKA_TOPIC_PARTITIONS ?? 3),
    stopKafka: () => (startedKafka ? infra.stopKafka() : undefined),
  };
}

export async function startStack(
  infraUp: Awaited<ReturnType<typeof startInfra>>,
  o: StackOptions,
): Promise<Stack> {
  mkdirSync(o.logDir, { recursive: true });
  const cloudApi = await startRecordingServer((r) => ({
    status: 200,
    body: { messaging_product: 'whatsapp', messages: [{ id: `wamid.bench.${r.path.length}.${Date.now()}` }] },
  }));
  const services = new Map<string, ServiceProcess>();
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await Promise.all([...services.values()].map((s) => s.stop()));
    await cloudApi.close();
    infraUp.stopKafka();
  };
  try {
    const env = await movePorts({
      ...process.env,
      DATABASE_URL: infraUp.databaseUrl,
      KAFKA_TOPIC_PREFIX: infraUp.topicPrefix,
      // A flood comes from a few carrier addresses and one app key: the limits meant for abuse stay out of the way.
      JAKI_REQUESTS_PER_IP_PER_MINUTE: '0',
      JAKI_REQUESTS_PER_KEY_PER_MINUTE: '0',
      PUBLIC_LOOKUPS_PER_MINUTE: '0',
      WHATSAPP_MODE: 'cloud',
      WHATSAPP_APP_SECRET,
      WHATSAPP_VERIFY_TOKEN: 'bench-verify-token',
      WHATSAPP_ACCESS_TOKEN: 'bench-access-token',
      WHATSAPP_PHONE_NUMBER_ID: '1122334455667',
      WHATSAPP_API_BASE_URL: `${cloudApi.url}/v21.0`,
      ...o.env,
    });
    const jakiApiKey = (env.JAKI_API_KEYS ?? '').split(',')[0]?.split(':').pop()?.trim();
    if (!jakiApiKey)
      throw new Error('JAKI_API_KEYS is empty in .env / .env.example: the bench needs one key');
    await Promise.all(
      o.services.map(async (name) => {
        const proc = await startServiceProcess(name, env, 180_000, o.nodeArgs, o.built);
        const log = createWriteStream(join(o.logDir, `${name}.log`));
        log.write(proc.lines.join('\n') + '\n');
        // Lines after start-up go to the log file only; kept in memory they would grow with the load.
        proc.child.stdout!.removeAllListeners('data');
        proc.child.stderr!.removeAllListeners('data');
        proc.child.stdout!.pipe(log, { end: false });
        proc.child.stderr!.pipe(log, { end: false });
        services.set(name, proc);
        o.say(`  ${name} up (pid ${proc.child.pid})`);
      }),
    );
    const url = (port: string | undefined) => `http://127.0.0.1:${port}`;
    return {
      ...infraUp,
      services,
      urls: { jaki: url(env.JAKI_PORT), whatsapp: url(env.WHATSAPP_PORT), status: url(env.STATUS_PORT) },
      jakiApiKey,
      cloudApi,
      logDir: o.logDir,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
