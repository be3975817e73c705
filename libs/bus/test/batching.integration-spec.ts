import net from 'node:net';
import { Metrics } from '@aduan/platform';
import {
  capturedLogger,
  eventually,
  SwitchableProxy,
  testEnv,
  uniqueSuffix,
  uniqueTopicPrefix,
} from '@aduan/testing';
import { Kafka, logLevel, type ISocketFactory } from 'kafkajs';
import { EventBus, PermanentError, readToEnd, type EventBusOptions, type Published } from '../src';
import { databaseBehindProxy, type DatabaseBehindProxy } from './database-behind-proxy';
import { sampleComplaint } from './sample-complaint';

const TOPIC = 'aduan.complaint.received.v1' as const;

/** Buses of one suite, on topics of its own, closed and their topics deleted afterwards. */
function suiteBuses() {
  const prefix = uniqueTopicPrefix();
  const buses: EventBus[] = [];
  const { logger, lines } = capturedLogger('bus-batching');
  return {
    prefix,
    lines,
    async bus(opts: Partial<EventBusOptions> = {}): Promise<EventBus> {
      const bus = new EventBus({
        brokers: testEnv.kafkaBrokers,
        clientId: `bus-batching-${uniqueSuffix()}`,
        source: '/aduan/test',
        logger,
        topicPrefix: prefix,
        partitions: 2,
        ...opts,
      });
      buses.push(bus);
      await bus.connect();
      await bus.ensureTopics([TOPIC]);
      return bus;
    },
    async close(): Promise<void> {
      await Promise.all(buses.map((b) => b.close()));
      const admin = new Kafka({ brokers: testEnv.kafkaBrokers, logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
      const ours = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
      if (ours.length) await admin.deleteTopics({ topics: ours });
      await admin.disconnect();
    },
  };
}

/** Every record on the topic by its place, with the CloudEvents id it carries. */
async function recordsByPlace(bus: EventBus, physical: string): Promise<Map<string, string>> {
  const entries = await readToEnd(bus.kafkaClient, bus.adminClient, physical);
  return new Map(entries.map((e) => [`${e.partition}:${e.offset}`, e.headers['ce_id']!]));
}

describe('the coalescing publisher', () => {
  const suite = suiteBuses();
  const [kafkaHost, kafkaPort] = testEnv.kafkaBrokers[0]!.split(':');
  const proxy = new SwitchableProxy(kafkaHost!, Number(kafkaPort));
  // Every broker the cluster names is reached through the proxy, which the test can cut.
  const throughProxy: ISocketFactory = ({ onConnect }) => {
    const socket = net.connect({ host: '127.0.0.1', port: proxy.port }, onConnect);
    socket.setKeepAlive(true, 60_000);
    return socket;
  };

  let cut = false;
  beforeAll(() => proxy.up());
  afterAll(async () => {
    // A failed test may have left the broker cut off: the bus behind it must still close.
    if (cut) await proxy.up();
    await suite.close();
    await proxy.down();
  });

  it('resolves no publish while the broker is cut off, then every one, each record stored exactly once where it says', async () => {
    const viaProxy = await suite.bus({ socketFactory: throughProxy });
    const direct = await suite.bus();
    await viaProxy.publish(TOPIC, sampleComplaint({ text: 'before the cut' }));

    await proxy.down();
    cut = true;
    const linesAtCut = suite.lines.length;
    const events = Array.from({ length: 200 }, (_, i) => sampleComplaint({ text: `during the cut #${i}` }));
    const settled: string[] = [];
    const publishes = events.map((e) => viaProxy.publish(TOPIC, e).finally(() => settled.push(e.reportId)));
    // The produce request has met the cut (kafkajs logs it and retries).
    await eventually(
      () =>
        expect(
          suite.lines.slice(linesAtCut).some((l) => /ECONNREFUSED|Connection error|Failed to send/.test(l)),
        ).toBe(true),
      { timeoutMs: 10_000 },
    );
    expect(settled).toEqual([]);

    await proxy.up();
    cut = false;
    const published: Published[] = await Promise.all(publishes);
    expect(published).toHaveLength(200);

    const stored = await recordsByPlace(direct, `${suite.prefix}${TOPIC}`);
    const ids = [...stored.values()];
    for (const p of published) {
      // At the very partition and offset its promise named, and nowhere else.
      expect(stored.get(`${p.partition}:${p.offset}`)).toBe(p.id);
      expect(ids.filter((id) => id === p.id)).toHaveLength(1);
    }
  }, 60_000);

  it('sends a thousand concurrent publishes in a handful of produce requests', async () => {
    const metrics = new Metrics('bus-batching-test');
    const bus = await suite.bus({ metrics });
    await bus.publish(TOPIC, sampleComplaint({ text: 'warm-up' }));
    let produceRequests = 0;
    const producer = bus.producerClient;
    const stop = producer.on(producer.events.REQUEST, (e) => {
      if (e.payload.apiName === 'Produce') produceRequests++;
    });
    const published = await Promise.all(
      Array.from({ length: 1000 }, (_, i) => bus.publish(TOPIC, sampleComplaint({ text: `burst #${i}` }))),
    );
    stop();

    expect(produceRequests).toBeGreaterThan(0);
    expect(produceRequests).toBeLessThanOrEqual(5);
    const stored = await recordsByPlace(bus, `${suite.prefix}${TOPIC}`);
    for (const p of published) expect(stored.get(`${p.partition}:${p.offset}`)).toBe(p.id);
    const metric = (await metrics.registry.getMetricsAsJSON()).find(
      (m) => m.name === 'aduan_publish_request_records',
    );
    const sum = metric?.values.find(
      (v) => (v as { metricName?: string }).metricName === 'aduan_publish_request_records_sum',
    );
    // Every record went through the coalescing publisher: the warm-up and the thousand.
    expect(sum?.value).toBe(1001);
  }, 60_000);

  it('keeps the order of one key, and rejects every publish once the bus is closed', async () => {
    const bus = await suite.bus({ batching: { lingerMs: 1, maxRecords: 7 } });
    const reportId = sampleComplaint().reportId;
    const published = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        bus.publish(TOPIC, sampleComplaint({ reportId, text: `step ${i}` })),
      ),
    );
    const partitions = new Set(published.map((p) => p.partition));
    expect(partitions.size).toBe(1);
    const offsets = published.map((p) => BigInt(p.offset));
    for (let i = 1; i < offsets.length; i++) expect(offsets[i]! > offsets[i - 1]!).toBe(true);

    await bus.close();
    await expect(bus.publish(TOPIC, sampleComplaint())).rejects.toThrow(/closed/);
  });
});

describe('a batch consumer', () => {
  const suite = suiteBuses();
  const table = `bus_batching_${uniqueSuffix()}`;
  let db: DatabaseBehindProxy;

  beforeAll(async () => {
    db = await databaseBehindProxy('bus_batching');
    await db.direct.query(`CREATE TABLE ${table} (report_id uuid PRIMARY KEY, text text NOT NULL)`);
  });

  afterAll(async () => {
    await suite.close();
    await db?.close();
  });

  /** The group's committed position on the one partition (-1: nothing committed yet). */
  async function committed(bus: EventBus, groupId: string): Promise<number> {
    const [topic] = await bus.adminClient.fetchOffsets({
      groupId: `${suite.prefix}${groupId}`,
      topics: [`${suite.prefix}${TOPIC}`],
    });
    return Number(topic!.partitions[0]!.offset);
  }

  async function end(bus: EventBus): Promise<number> {
    const [p] = await bus.adminClient.fetchTopicOffsets(`${suite.prefix}${TOPIC}`);
    return Number(p!.high);
  }

  /** One partition, so that what is published before the consumer starts is one batch. */
  const onePartition = { partitions: 1 };

  it('holds the whole batch while its database is away, stores it in one go after, and commits it once', async () => {
    const bus = await suite.bus(onePartition);
    const groupId = `outage-${uniqueSuffix()}`;
    const events = Array.from({ length: 20 }, (_, i) => sampleComplaint({ text: `db batch #${i}` }));
    await Promise.all(events.map((e) => bus.publish(TOPIC, e)));
    const stored: number[] = [];
    await db.proxy.down();
    const runner = bus.subscribeBatches({
      groupId,
      retryBaseMs: 100,
      retryMaxMs: 400,
      batchHandlers: {
        [TOPIC]: async ({ deliveries }) => {
          const ours = deliveries.filter((d) => d.payload.text.startsWith('db batch'));
          await db.viaProxy.query(
            `INSERT INTO ${table} (report_id, text) SELECT * FROM unnest($1::uuid[], $2::text[]) ON CONFLICT DO NOTHING`,
            [ours.map((d) => d.payload.reportId), ours.map((d) => d.payload.text)],
          );
          stored.push(ours.length);
        },
      },
    });
    await runner.start();

    await eventually(() =>
      expect(runner.heldPartitions()).toEqual([expect.objectContaining({ partition: 0 })]),
    );
    // A new group starts at the oldest event: the batch, and the hold, begin there.
    expect(runner.heldPartitions()[0]!.offset).toBe('0');
    expect(await committed(bus, groupId)).toBe(-1);
    expect((await db.direct.query(`SELECT 1 FROM ${table}`)).rowCount).toBe(0);

    await db.proxy.up();
    await eventually(async () => expect(await committed(bus, groupId)).toBe(await end(bus)));
    expect(stored).toEqual([20]);
    expect((await db.direct.query(`SELECT 1 FROM ${table} WHERE text LIKE 'db batch%'`)).rowCount).toBe(20);
    expect(runner.heldPartitions()).toEqual([]);
    expect(await readToEnd(bus.kafkaClient, bus.adminClient, `${suite.prefix}${TOPIC}.dlq`)).toEqual([]);
    await runner.stop();
  }, 60_000);

  it('dead-letters only the event that can never succeed, and the unreadable one, and handles the rest', async () => {
    const bus = await suite.bus(onePartition);
    const groupId = `poison-${uniqueSuffix()}`;
    const start = await end(bus);
    const events = Array.from({ length: 10 }, (_, i) =>
      sampleComplaint({ text: i === 4 ? 'poison' : `fine #${i}` }),
    );
    await Promise.all(events.slice(0, 7).map((e) => bus.publish(TOPIC, e)));
    await bus.sendRaw(TOPIC, { key: 'unreadable', value: '{"not json', headers: {} });
    await Promise.all(events.slice(7).map((e) => bus.publish(TOPIC, e)));

    const calls: string[][] = [];
    const handled = new Set<string>();
    const runner = bus.subscribeBatches({
      groupId,
      batchHandlers: {
        [TOPIC]: async ({ deliveries }) => {
          const texts = deliveries
            .map((d) => d.payload.text)
            .filter((t) => t === 'poison' || t.startsWith('fine'));
          calls.push(texts);
          if (texts.includes('poison'))
            throw new PermanentError('UNROUTABLE', 'no unit can take this report');
          for (const t of texts) handled.add(t);
        },
      },
    });
    await runner.start();
    await eventually(async () => expect(await committed(bus, groupId)).toBe(await end(bus)));

    // The first call had the whole batch: the unreadable record was kept out of it.
    expect(calls[0]).toEqual(events.map((e) => e.text));
    expect([...handled].sort()).toEqual(
      events
        .filter((e) => e.text !== 'poison')
        .map((e) => e.text)
        .sort(),
    );
    const dead = await readToEnd(bus.kafkaClient, bus.adminClient, `${suite.prefix}${TOPIC}.dlq`);
    expect(dead.map((d) => [d.headers['dlq_code'], d.headers['dlq_source_offset']]).sort()).toEqual(
      [
        ['MALFORMED_ENVELOPE', String(start + 7)],
        ['UNROUTABLE', String(start + 4)],
      ].sort(),
    );
    expect(dead.find((d) => d.headers['dlq_code'] === 'UNROUTABLE')!.headers['dlq_reason']).toBe(
      'no unit can take this report',
    );
    expect(runner.heldPartitions()).toEqual([]);
    await runner.stop();
  }, 60_000);

  it('commits nothing while the handler runs, heartbeats meanwhile, and commits the batch when it ends', async () => {
    const bus = await suite.bus(onePartition);
    const groupId = `long-${uniqueSuffix()}`;
    await Promise.all(
      Array.from({ length: 5 }, (_, i) => bus.publish(TOPIC, sampleComplaint({ text: `long #${i}` }))),
    );
    let entered = false;
    let heartbeatsInside = 0;
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const runner = bus.subscribeBatches({
      groupId,
      batchHandlers: {
        [TOPIC]: async () => {
          if (entered) return;
          entered = true;
          await finished;
        },
      },
    });
    await runner.start();
    const consumer = runner.consumerClient!;
    consumer.on(consumer.events.HEARTBEAT, () => {
      if (entered) heartbeatsInside++;
    });

    await eventually(() => expect(entered).toBe(true));
    await eventually(() => expect(heartbeatsInside).toBeGreaterThan(0), { timeoutMs: 10_000 });
    expect(await committed(bus, groupId)).toBe(-1);
    finish();
    await eventually(async () => expect(await committed(bus, groupId)).toBe(await end(bus)));
    await runner.stop();
  }, 30_000);
});
