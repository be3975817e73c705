/**
 * kafkajs as libs/bus configures it against @platformatic/kafka, on the same broker with the
 * same guarantees (idempotent producer, acks=all, one request in flight per broker, no
 * compression) and the same records: the 788-byte values the ceiling probes of `npm run bench`
 * write, each under a fresh key. Measures records/s for one awaited send per record with 1, 32
 * and 256 concurrent callers (closed loop), for sends of 500 records one after another, and for a
 * consumer reading a topic from its start. Prints a table and asserts nothing (ADR 0072).
 *
 *   npm run bench:clients
 *        (KAFKA_BROKERS, BENCH_SECONDS per producer run, default 3; BENCH_READ_RECORDS, default 100000)
 */
import { randomUUID } from 'node:crypto';
import { createLogger } from '@aduan/platform';
import { CompressionTypes } from 'kafkajs';
import { EventBus } from '@aduan/bus';
// The very records the ceiling probes of `npm run bench` write, so that the figures compare.
import { payload, RECORD_BYTES } from './ceiling';

const CONCURRENCY = [1, 32, 256];
const BATCH = 500;
const PARTITIONS = 3;

interface Record {
  key: Buffer;
  value: Buffer;
}

/** What each client under test offers the benchmark: the same three operations. */
interface Client {
  name: string;
  send(topic: string, records: Record[]): Promise<void>;
  /** Resolves once `count` records were read from the topic's start. */
  read(topic: string, count: number): Promise<void>;
  close(): Promise<void>;
}

/** The producer libs/bus builds (idempotent, one request in flight, acks=all, murmur2 keys). */
async function kafkajsClient(bus: EventBus): Promise<Client> {
  const producer = bus.producerClient;
  return {
    name: 'kafkajs 2 (libs/bus)',
    send: async (topic, records) => {
      await producer.send({ topic, acks: -1, compression: CompressionTypes.None, messages: records });
    },
    read: async (topic, count) => {
      // As ConsumerRunner joins its groups, minus the commits: the read rate alone.
      const consumer = bus.kafkaClient.consumer({
        groupId: `${topic}.kafkajs`,
        allowAutoTopicCreation: false,
        maxWaitTimeInMs: 500,
      });
      await consumer.connect();
      try {
        let seen = 0;
        await new Promise<void>((resolve, reject) => {
          consumer.subscribe({ topic, fromBeginning: true }).then(
            () =>
              consumer.run({
                autoCommit: false,
                eachBatch: async ({ batch }) => {
                  seen += batch.messages.length;
                  if (seen >= count) resolve();
                },
              }),
            reject,
          );
        });
      } finally {
        await consumer.disconnect();
      }
    },
    close: async () => undefined,
  };
}

/** The same guarantees: `idempotent` makes it acks=all with one request in flight per broker. */
async function platformaticClient(brokers: string[]): Promise<Client> {
  // An ES module only; Node 20 loads it from this CommonJS file by require(esm) at run time.
  const { Consumer, Producer } = await import('@platformatic/kafka');
  const producer = new Producer({
    clientId: 'bench-platformatic',
    bootstrapBrokers: brokers,
    idempotent: true,
    autocreateTopics: false,
  });
  return {
    name: '@platformatic/kafka 1',
    send: async (topic, records) => {
      await producer.send({ messages: records.map((r) => ({ topic, key: r.key, value: r.value })) });
    },
    read: async (topic, count) => {
      const consumer = new Consumer({
        clientId: 'bench-platformatic',
        groupId: `${topic}.platformatic`,
        bootstrapBrokers: brokers,
        maxWaitTime: 500,
      });
      try {
        const stream = await consumer.consume({ topics: [topic], mode: 'earliest', autocommit: false });
        let seen = 0;
        await new Promise<void>((resolve, reject) => {
          stream.on('data', () => {
            if (++seen === count) resolve();
          });
          stream.once('error', reject);
        });
        await stream.close();
      } finally {
        await consumer.close(true);
      }
    },
    close: async () => producer.close(),
  };
}

function records(n: number, value: Buffer): Record[] {
  return Array.from({ length: n }, () => ({ key: Buffer.from(randomUUID()), value }));
}

interface Rate {
  perSecond: number;
  /** Sends the client rejected, of all it was given: a guarantee broken, not a slow run. */
  failed?: { sends: number; of: number; reasons: Set<string> };
  /** Records acknowledged to a caller but absent from the log: a silent loss. */
  missing?: number;
}

const WARM_UP = 10;

/**
 * Acknowledged records/s over `seconds`, `callers` at once, each sending `perSend` records and
 * awaiting the ack. A rejected send is counted and the caller goes on; afterwards the topic's
 * length on the broker (`onLog`) is checked against what was acknowledged.
 */
async function produce(
  client: Client,
  topic: string,
  onLog: (topic: string) => Promise<number>,
  callers: number,
  perSend: number,
  seconds: number,
): Promise<Rate> {
  const value = payload();
  await client.send(topic, records(WARM_UP, value)); // the producer id, the metadata, the connections
  let acked = 0;
  let sends = 0;
  let failed = 0;
  const reasons = new Set<string>();
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (performance.now() < until) {
        sends++;
        try {
          await client.send(topic, records(perSend, value));
          acked += perSend;
        } catch (err) {
          failed++;
          reasons.add(reason(err));
        }
      }
    }),
  );
  const perSecond = acked / ((performance.now() - started) / 1000);
  const missing = Math.max(0, acked - ((await onLog(topic)) - WARM_UP));
  return {
    perSecond,
    ...(failed ? { failed: { sends: failed, of: sends, reasons } } : {}),
    ...(missing ? { missing } : {}),
  };
}

/** The broker's own words where the client wraps them (@platformatic/kafka nests them in `errors`). */
function reason(err: unknown): string {
  const inner = (err as { errors?: Array<{ errors?: Error[] } & Error> }).errors?.[0];
  return (inner?.errors?.[0] ?? inner ?? (err as Error)).message;
}

async function consume(client: Client, topic: string, count: number): Promise<Rate> {
  const started = performance.now();
  await client.read(topic, count);
  return { perSecond: count / ((performance.now() - started) / 1000) };
}

function cell(r: Rate): string {
  const notes = [
    ...(r.failed ? [`${r.failed.sends}/${r.failed.of} sends failed`] : []),
    ...(r.missing ? [`${r.missing} acknowledged but not on the log`] : []),
  ];
  return notes.length ? `${r.perSecond.toFixed(0)} (${notes.join('; ')})` : r.perSecond.toFixed(0);
}

async function main(): Promise<void> {
  const seconds = Number(process.env['BENCH_SECONDS'] ?? 3);
  const toRead = Number(process.env['BENCH_READ_RECORDS'] ?? 100_000);
  const brokers = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
  const prefix = `bench-clients-${randomUUID().slice(0, 8)}.`;
  const bus = new EventBus({
    brokers,
    clientId: 'bench-clients',
    source: '/aduan/bench',
    logger: createLogger('bench-clients', 'warn'),
    batching: false,
  });
  await bus.connect();
  const admin = bus.adminClient;
  let topicNo = 0;
  const topic = async () => {
    const name = `${prefix}${++topicNo}`;
    // A busy broker may still be electing the new topic's leaders when kafkajs first asks.
    await bus.whenBrokerServes(() =>
      admin.createTopics({
        waitForLeaders: true,
        topics: [{ topic: name, numPartitions: PARTITIONS, replicationFactor: -1 }],
      }),
    );
    return name;
  };
  const onLog = async (t: string) =>
    (await admin.fetchTopicOffsets(t)).reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
  const clients = [await kafkajsClient(bus), await platformaticClient(brokers)];
  const rows: string[][] = [];
  const failures = new Set<string>();
  const row = (what: string, figures: Rate[]) => {
    rows.push([what, ...figures.map(cell)]);
    for (const f of figures) for (const r of f.failed?.reasons ?? []) failures.add(r);
    console.log(`  ${what}: ${figures.map(cell).join(' / ')}`);
  };
  try {
    console.log(
      `Kafka clients on ${brokers.join(',')}: ${RECORD_BYTES}-byte values, acks=all, idempotent, ` +
        `${PARTITIONS} partitions, ${seconds} s per producer run (${clients.map((c) => c.name).join(' / ')})`,
    );
    // Client after client within each row, so that a machine growing busier skews both alike.
    for (const callers of CONCURRENCY) {
      const figures: Rate[] = [];
      for (const c of clients) figures.push(await produce(c, await topic(), onLog, callers, 1, seconds));
      row(`one send per record, ${callers} callers`, figures);
    }
    const batched: Rate[] = [];
    for (const c of clients) batched.push(await produce(c, await topic(), onLog, 1, BATCH, seconds));
    row(`${BATCH} records per send, 1 caller`, batched);

    const filled = await topic();
    const value = payload();
    for (let n = 0; n < toRead; n += BATCH) await clients[0]!.send(filled, records(BATCH, value));
    const reads: Rate[] = [];
    for (const c of clients) reads.push(await consume(c, filled, toRead));
    row(`consumer, ${toRead} records from the start`, reads);

    const widths = [
      42,
      ...clients.map((c, i) => Math.max(c.name.length, ...rows.map((r) => r[i + 1]!.length))),
    ];
    const line = (cells: string[]) =>
      cells.map((c, i) => (i ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
    console.log(`\n${line(['records/s', ...clients.map((c) => c.name)])}`);
    for (const r of rows) console.log(line(r));
    for (const f of failures) console.log(`failed sends: ${f}`);
  } finally {
    await Promise.all(clients.map((c) => c.close()));
    const ours = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    if (ours.length) await admin.deleteTopics({ topics: ours });
    const groups = (await admin.listGroups()).groups
      .map((g) => g.groupId)
      .filter((g) => g.startsWith(prefix));
    if (groups.length) await admin.deleteGroups(groups);
    await bus.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
