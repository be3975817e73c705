import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isKafkaStarting } from '@aduan/bus';
import { createLogger, waitForStartup } from '@aduan/platform';
import { CompressionTypes, Kafka, logLevel, Partitioners, type Producer } from 'kafkajs';
import { Client } from 'pg';
import type { Ceiling } from './results';

const ROOT = join(__dirname, '../..');
/** The size of a real aduan.complaint.received.v1 value: what every probe writes. */
export const RECORD_BYTES = 788;

/** The broker's version: what deploy/local/kafka.sh runs (KAFKA_VERSION, else its default). */
export function brokerVersion(): string {
  if (process.env.KAFKA_VERSION) return process.env.KAFKA_VERSION;
  const script = readFileSync(join(ROOT, 'deploy/local/kafka.sh'), 'utf8');
  const version = /^readonly DEFAULT_KAFKA_VERSION=(\S+)$/m.exec(script)?.[1];
  if (!version) throw new Error('no DEFAULT_KAFKA_VERSION in deploy/local/kafka.sh');
  return version;
}

/**
 * Kafka's performance tools and their dependencies, resolved once from Maven Central into the
 * same cache as the broker's jars (ADUAN_CACHE_DIR, default .cache) and reused while the
 * version matches, as deploy/local/kafka.sh does for the broker.
 */
export function ensureKafkaTools(version: string, say: (line: string) => void): string {
  const home = join(process.env.ADUAN_CACHE_DIR ?? join(ROOT, '.cache'), 'kafka-tools');
  const lib = join(home, 'lib');
  const stamp = join(lib, '.kafka-version');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === version) return lib;
  say(`resolving org.apache.kafka:kafka-tools:${version} with Maven…`);
  mkdirSync(home, { recursive: true });
  const tmp = join(home, `lib.tmp.${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  const mvn = spawnSync(
    'mvn',
    [
      '-q',
      '-B',
      '-Dstyle.color=never',
      '-f',
      join(__dirname, 'kafka-tools/pom.xml'),
      'dependency:copy-dependencies',
      `-Dkafka.version=${version}`,
      `-DoutputDirectory=${tmp}`,
    ],
    { encoding: 'utf8' },
  );
  if (mvn.error || mvn.status !== 0 || !existsSync(join(tmp, `kafka-tools-${version}.jar`))) {
    rmSync(tmp, { recursive: true, force: true });
    throw new Error(
      `Maven could not resolve kafka-tools ${version} (needs mvn on PATH and Maven Central): ${
        mvn.error?.message ?? `${mvn.stdout}${mvn.stderr}`.trim().split('\n').slice(-10).join('\n')
      }`,
    );
  }
  writeFileSync(join(tmp, '.kafka-version'), `${version}\n`);
  rmSync(lib, { recursive: true, force: true });
  renameSync(tmp, lib);
  return lib;
}

function java(lib: string, mainClass: string, args: string[]): string {
  const run = spawnSync('java', ['-Xmx512m', '-cp', `${lib}/*`, mainClass, ...args], {
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (run.status !== 0) throw new Error(`${mainClass} exited ${run.status}: ${run.stderr || run.stdout}`);
  return run.stdout;
}

/** The summary line of ProducerPerformance: "N records sent, R records/sec (…), … P ms 99th, …". */
export function parseProducerPerformance(out: string): { perSecond: number; p99Ms: number } {
  const line = out
    .trim()
    .split('\n')
    .reverse()
    .find((l) => / records sent, .* 99th/.test(l));
  const perSecond = Number(/records sent, ([\d.]+) records\/sec/.exec(line ?? '')?.[1]);
  const p99Ms = Number(/([\d.]+) ms 99th/.exec(line ?? '')?.[1]);
  if (!line || !(perSecond > 0)) throw new Error(`no summary in ProducerPerformance output:\n${out}`);
  return { perSecond, p99Ms };
}

/**
 * ConsumerPerformance's CSV line; fetch.nMsg.sec leaves out the time the group took to form,
 * which a run of a few seconds would otherwise be mostly about.
 */
export function parseConsumerPerformance(out: string): number {
  const lines = out.trim().split('\n');
  const head = lines.findIndex((l) => l.includes('fetch.nMsg.sec'));
  if (head < 0 || !lines[head + 1]) throw new Error(`no figures in ConsumerPerformance output:\n${out}`);
  const names = lines[head]!.split(',').map((s) => s.trim());
  const values = lines[head + 1]!.split(',').map((s) => s.trim());
  return Number(values[names.indexOf('fetch.nMsg.sec')]);
}

/** A JSON value of exactly RECORD_BYTES bytes, shaped like a complaint. */
export function payload(): Buffer {
  const base = JSON.stringify({ reportId: randomUUID(), text: '' });
  const text = 'Banjir setinggi lutut di Jl. Kemang Raya, air masuk ke rumah warga. '
    .repeat(20)
    .slice(0, RECORD_BYTES - base.length);
  return Buffer.from(JSON.stringify({ reportId: randomUUID(), text }));
}

/** A producer configured as libs/bus configures its own: idempotent, one request in flight, acks=all, no compression. */
function busLikeProducer(kafka: Kafka): Producer {
  return kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
}

async function kafkajsProbe(
  brokers: string[],
  topic: string,
  records: number,
  batch: number,
): Promise<number> {
  const kafka = new Kafka({
    clientId: 'aduan-bench',
    brokers,
    logLevel: logLevel.NOTHING,
    retry: { initialRetryTime: 200, retries: 8 },
  });
  const producer = busLikeProducer(kafka);
  await producer.connect();
  const value = payload();
  try {
    const started = performance.now();
    if (batch === 1) {
      // Many intake requests at once, each awaiting its own send(): how the services publish.
      let next = 0;
      await Promise.all(
        Array.from({ length: 64 }, async () => {
          while (next++ < records)
            await producer.send({
              topic,
              acks: -1,
              compression: CompressionTypes.None,
              messages: [{ key: randomUUID(), value }],
            });
        }),
      );
    } else {
      for (let sent = 0; sent < records; sent += batch)
        await producer.send({
          topic,
          acks: -1,
          compression: CompressionTypes.None,
          messages: Array.from({ length: Math.min(batch, records - sent) }, () => ({
            key: randomUUID(),
            value,
          })),
        });
    }
    return records / ((performance.now() - started) / 1000);
  } finally {
    await producer.disconnect();
  }
}

async function postgresProbe(databaseUrl: string, rows: number, batch: number): Promise<[number, number]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  const body = payload().toString('utf8');
  try {
    await client.query('CREATE TABLE IF NOT EXISTS bench_probe (id uuid PRIMARY KEY, body jsonb NOT NULL)');
    let started = performance.now();
    for (let done = 0; done < rows; done += batch) {
      const n = Math.min(batch, rows - done);
      const params: string[] = [];
      const placeholders = Array.from({ length: n }, (_, i) => {
        params.push(randomUUID(), body);
        return `($${2 * i + 1}, $${2 * i + 2})`;
      });
      await client.query('BEGIN');
      await client.query(`INSERT INTO bench_probe (id, body) VALUES ${placeholders.join(', ')}`, params);
      await client.query('COMMIT');
    }
    const batched = rows / ((performance.now() - started) / 1000);
    const single = Math.max(200, Math.round(rows / 20));
    started = performance.now();
    for (let i = 0; i < single; i++)
      await client.query('INSERT INTO bench_probe (id, body) VALUES ($1, $2)', [randomUUID(), body]);
    return [batched, single / ((performance.now() - started) / 1000)];
  } finally {
    await client.query('DROP TABLE IF EXISTS bench_probe').catch(() => undefined);
    await client.end();
  }
}

export interface CeilingOptions {
  brokers: string[];
  topicPrefix: string;
  partitions: number;
  databaseUrl: string;
  /** Records for Kafka's own tools. */
  records: number;
  say: (line: string) => void;
}

/** The most this broker and this database take on this machine, with the guarantees the services need. */
export async function measureCeiling(o: CeilingOptions): Promise<Ceiling> {
  const version = brokerVersion();
  const lib = ensureKafkaTools(version, o.say);
  const kafka = new Kafka({ clientId: 'aduan-bench-admin', brokers: o.brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const topics = ['perf', 'kafkajs-single', 'kafkajs-batched'].map((t) => `${o.topicPrefix}ceiling.${t}`);
  try {
    // A broker the bench has just started can answer that it does not host a new topic's
    // partitions yet, while their leaders are elected; that passes by itself.
    await waitForStartup(
      () =>
        admin.createTopics({
          waitForLeaders: true,
          topics: topics.map((topic) => ({ topic, numPartitions: o.partitions, replicationFactor: 1 })),
        }),
      {
        what: `Kafka at ${o.brokers.join(',')}`,
        logger: createLogger('bench-ceiling', 'warn'),
        timeoutMs: 30_000,
        isRetriable: isKafkaStarting,
      },
    );
    const bootstrap = o.brokers.join(',');
    o.say(`Kafka ${version} ProducerPerformance, ${o.records} records of ${RECORD_BYTES} B…`);
    const producer = parseProducerPerformance(
      java(lib, 'org.apache.kafka.tools.ProducerPerformance', [
        '--topic',
        topics[0]!,
        '--num-records',
        String(o.records),
        '--record-size',
        String(RECORD_BYTES),
        '--throughput',
        '-1',
        '--bootstrap-server',
        bootstrap,
        '--producer-props',
        'acks=all',
        'enable.idempotence=true',
      ]),
    );
    o.say(`  ${Math.round(producer.perSecond)} records/s; ConsumerPerformance…`);
    const consumerPerSecond = parseConsumerPerformance(
      java(lib, 'org.apache.kafka.tools.ConsumerPerformance', [
        '--bootstrap-server',
        bootstrap,
        '--topic',
        topics[0]!,
        '--num-records',
        String(o.records),
        '--group',
        `${o.topicPrefix}ceiling-consumer`,
        '--timeout',
        '60000',
      ]),
    );
    const singles = Math.max(1000, Math.round(o.records / 50));
    o.say(`  ${Math.round(consumerPerSecond)} records/s; kafkajs, ${singles} single sends…`);
    const kafkajsSinglePerSecond = await kafkajsProbe(o.brokers, topics[1]!, singles, 1);
    const batch = 500;
    o.say(
      `  ${Math.round(kafkajsSinglePerSecond)} records/s; kafkajs, ${o.records / 2} records in sends of ${batch}…`,
    );
    const kafkajsBatchedPerSecond = await kafkajsProbe(o.brokers, topics[2]!, o.records / 2, batch);
    o.say(`  ${Math.round(kafkajsBatchedPerSecond)} records/s; PostgreSQL inserts…`);
    const [postgresBatchedRowsPerSecond, postgresSingleRowsPerSecond] = await postgresProbe(
      o.databaseUrl,
      o.records / 5,
      batch,
    );
    o.say(
      `  ${Math.round(postgresBatchedRowsPerSecond)} rows/s batched, ${Math.round(postgresSingleRowsPerSecond)} rows/s one by one`,
    );
    return {
      kafkaVersion: version,
      recordBytes: RECORD_BYTES,
      producerPerSecond: producer.perSecond,
      producerP99Ms: producer.p99Ms,
      consumerPerSecond,
      kafkajsSinglePerSecond,
      kafkajsBatchedPerSecond,
      kafkajsBatch: batch,
      postgresBatchedRowsPerSecond,
      postgresBatch: batch,
      postgresSingleRowsPerSecond,
    };
  } finally {
    await admin.deleteTopics({ topics }).catch(() => undefined);
    await admin.deleteGroups([`${o.topicPrefix}ceiling-consumer`]).catch(() => undefined);
    await admin.disconnect();
  }
}
