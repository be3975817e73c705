import net from 'node:net';
import { EventBus, readToEnd } from '@aduan/bus';
import type { Channel } from '@aduan/contracts';
import {
  capturedLogger,
  createTestDatabase,
  eventually,
  SwitchableProxy,
  testEnv,
  uniqueSuffix,
  uniqueTopicPrefix,
  type TestDatabase,
} from '@aduan/testing';
import type { ISocketFactory } from 'kafkajs';
import type { DataSource } from 'typeorm';
import {
  ComplaintIntake,
  openChannelStore,
  type ChannelStore,
  type ComplaintDraft,
  type Receipt,
} from '../src';

const SECRET = 'coalesced-intake-secret';
const TOPIC = 'aduan.complaint.received.v1' as const;

function draft(channel: Channel, i: number): ComplaintDraft {
  return {
    channel,
    sourceId: `msg-${uniqueSuffix()}-${i}`,
    reporter: { anonymous: false, name: `Warga ${i}`, phone: `0812${String(10_000_000 + i)}` },
    text: `Saluran air tersumbat di gang ${i}`,
  };
}

/** The statements and transactions the store's pool is asked for, counted as they start. */
function countRoundTrips(db: DataSource): () => number {
  let n = 0;
  const query = db.query.bind(db);
  const transaction = db.transaction.bind(db) as (fn: unknown) => Promise<unknown>;
  db.query = ((...args: Parameters<DataSource['query']>) => {
    n++;
    return query(...args);
  }) as DataSource['query'];
  db.transaction = ((fn: unknown) => {
    n++;
    return transaction(fn);
  }) as DataSource['transaction'];
  return () => n;
}

/** The report id of every record on the topic (its key), read back from the broker itself. */
async function onTheTopic(bus: EventBus, prefix: string): Promise<string[]> {
  const entries = await readToEnd(bus.kafkaClient, bus.adminClient, `${prefix}${TOPIC}`);
  return entries.map((e) => e.key!.toString('utf8'));
}

describe('ComplaintIntake with coalesced writes, against a real broker and database', () => {
  const prefix = uniqueTopicPrefix();
  const { logger, lines } = capturedLogger('intake-coalesced');
  const [kafkaHost, kafkaPort] = testEnv.kafkaBrokers[0]!.split(':');
  const kafkaDoor = new SwitchableProxy(kafkaHost!, Number(kafkaPort));
  const pgServer = new URL(testEnv.databaseUrl);
  const databaseDoor = new SwitchableProxy(pgServer.hostname, Number(pgServer.port || 5432));
  const throughDoor: ISocketFactory = ({ onConnect }) => {
    const socket = net.connect({ host: '127.0.0.1', port: kafkaDoor.port }, onConnect);
    socket.setKeepAlive(true, 60_000);
    return socket;
  };
  let database: TestDatabase;
  let store: ChannelStore;
  let bus: EventBus;
  let direct: EventBus;
  let intake: ComplaintIntake;
  let statements: () => number;

  beforeAll(async () => {
    await kafkaDoor.up();
    await databaseDoor.up();
    database = await createTestDatabase('intake_coalesced');
    const viaDoor = new URL(database.url);
    viaDoor.hostname = '127.0.0.1';
    viaDoor.port = String(databaseDoor.port);
    store = await openChannelStore({
      url: viaDoor.toString(),
      secret: SECRET,
      logger,
      coalescing: { lingerMs: 2, maxItems: 500 },
    });
    statements = countRoundTrips(store.db);
    const options = { brokers: testEnv.kafkaBrokers, source: '/aduan/test', logger, topicPrefix: prefix };
    bus = new EventBus({ ...options, clientId: `coalesced-${uniqueSuffix()}`, socketFactory: throughDoor });
    direct = new EventBus({ ...options, clientId: `coalesced-check-${uniqueSuffix()}` });
    await bus.connect();
    await direct.connect();
    await bus.ensureTopics([TOPIC]);
    intake = new ComplaintIntake(
      bus,
      { trackingSecret: SECRET, trackingUrlTemplate: 'https://aduan.example/lacak/{code}' },
      store,
    );
  });

  /** Which door a failed test may have left shut: the bus and the store behind it must still close. */
  const shut = new Set<SwitchableProxy>();
  async function shutDoor(door: SwitchableProxy): Promise<void> {
    shut.add(door);
    await door.down();
  }
  async function openDoor(door: SwitchableProxy): Promise<void> {
    shut.delete(door);
    await door.up();
  }

  afterAll(async () => {
    for (const door of [...shut]) await openDoor(door);
    await bus?.close();
    await direct?.close();
    await store?.close();
    await kafkaDoor.down();
    await databaseDoor.down();
    await database?.drop();
  });

  it('keeps the reporters of a thousand concurrent complaints in a handful of statements, each before its receipt', async () => {
    const channel = `wa_${uniqueSuffix()}`;
    const drafts = Array.from({ length: 1000 }, (_, i) => draft(channel, i));
    const before = statements();
    const receipts = await Promise.all(drafts.map((d) => intake.submit(d)));
    const used = statements() - before;
    // Two books: each a few statements per flush of up to 500, not one or more per complaint.
    expect(used).toBeLessThanOrEqual(20);
    const published = new Set(await onTheTopic(direct, prefix));
    expect(receipts.filter((r) => !published.has(r.reportId))).toEqual([]);
    for (const i of [0, 1, 499, 500, 998, 999]) {
      const ref = store.reporters.refFor(channel, drafts[i]!.reporter);
      expect(await store.reporters.reveal(channel, receipts[i]!.reportId, ref)).toEqual({
        name: `Warga ${i}`,
        phone: `0812${String(10_000_000 + i)}`,
      });
    }
  }, 120_000);

  it('answers no receipt while Kafka is cut off, and only receipts whose event Kafka stored once it is back', async () => {
    const channel = `wa_${uniqueSuffix()}`;
    await shutDoor(kafkaDoor);
    const linesAtCut = lines.length;
    const answered: Receipt[] = [];
    const settled = Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => intake.submit(draft(channel, i)).then((r) => answered.push(r))),
    );
    await eventually(
      () =>
        expect(
          lines.slice(linesAtCut).some((l) => /ECONNREFUSED|Connection error|Failed to send/.test(l)),
        ).toBe(true),
      { timeoutMs: 15_000 },
    );
    expect(answered).toEqual([]);
    await openDoor(kafkaDoor);
    await settled;
    expect(answered.length).toBeGreaterThan(0);
    const published = await onTheTopic(direct, prefix);
    for (const r of answered) expect(published).toContain(r.reportId);
  }, 120_000);

  it('answers no receipt and publishes nothing while the database is away, and takes the same complaints once it is back', async () => {
    const channel = `wa_${uniqueSuffix()}`;
    const drafts = Array.from({ length: 50 }, (_, i) => draft(channel, i));
    await shutDoor(databaseDoor);
    const outcomes = await Promise.allSettled(drafts.map((d) => intake.submit(d)));
    expect(outcomes.every((o) => o.status === 'rejected')).toBe(true);
    await openDoor(databaseDoor);
    const ids = new Set(drafts.map((d) => intake.receiptFor(channel, d.sourceId).reportId));
    expect((await onTheTopic(direct, prefix)).filter((id) => ids.has(id))).toEqual([]);

    const receipts = await eventually(() => Promise.all(drafts.map((d) => intake.submit(d))), {
      timeoutMs: 30_000,
    });
    const published = (await onTheTopic(direct, prefix)).filter((id) => ids.has(id));
    expect(new Set(published)).toEqual(new Set(receipts.map((r) => r.reportId)));
    const ref = store.reporters.refFor(channel, drafts[7]!.reporter);
    expect(await store.reporters.reveal(channel, receipts[7]!.reportId, ref)).toMatchObject({
      name: 'Warga 7',
    });
  }, 120_000);
});
