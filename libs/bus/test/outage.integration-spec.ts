import { randomUUID } from 'node:crypto';
import { dlqDepth, EventBus, readToEnd, type Published } from '../src';
import { cloudEventHeaders } from '@aduan/contracts';
import { Metrics } from '@aduan/platform';
import {
  capturedLogger,
  eventually,
  testEnv,
  uniqueSuffix,
  uniqueTopicPrefix,
  type SwitchableProxy,
} from '@aduan/testing';
import type { Pool } from 'pg';
import { databaseBehindProxy, type DatabaseBehindProxy } from './database-behind-proxy';
import { sampleComplaint } from './sample-complaint';

const TOPIC = 'aduan.complaint.received.v1' as const;
const OUTAGE_MS = 22_000;

async function metricValue(metrics: Metrics, name: string): Promise<number> {
  const metric = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === name);
  return (metric?.values ?? []).reduce((sum, v) => sum + Number(v.value), 0);
}

/**
 * A handler whose PostgreSQL goes away for longer than any retry budget: the event waits on
 * its paused partition and is stored once the database is back; nothing is dead-lettered.
 */
describe('a consumer whose database is down for 20+ seconds', () => {
  const prefix = uniqueTopicPrefix();
  const { logger } = capturedLogger('bus-outage');
  const table = `bus_outage_${uniqueSuffix()}`;
  let db: DatabaseBehindProxy;
  let proxy: SwitchableProxy;
  let direct: Pool;
  let viaProxy: Pool;
  const buses: EventBus[] = [];

  async function newBus(metrics?: Metrics): Promise<EventBus> {
    const bus = new EventBus({
      brokers: testEnv.kafkaBrokers,
      clientId: `bus-outage-${uniqueSuffix()}`,
      source: '/aduan/test',
      logger,
      metrics,
      topicPrefix: prefix,
      partitions: 2,
      holdUnreadyAfterMs: 3_000,
    });
    await bus.connect();
    await bus.ensureTopics([TOPIC]);
    buses.push(bus);
    return bus;
  }

  /**
   * Publishes fresh complaints until one lands on the wanted partition; each try has its own
   * text (`<text> #n`), and the one that landed there is returned with it.
   */
  async function publishOn(
    bus: EventBus,
    text: string,
    partition: (p: number) => boolean,
  ): Promise<Published & { text: string }> {
    for (let n = 1; ; n++) {
      const sent = await bus.publish(TOPIC, sampleComplaint({ text: `${text} #${n}` }));
      if (partition(sent.partition)) return { ...sent, text: `${text} #${n}` };
    }
  }

  beforeAll(async () => {
    db = await databaseBehindProxy('bus_outage');
    ({ proxy, direct, viaProxy } = db);
    await direct.query(
      `CREATE TABLE ${table} (report_id uuid PRIMARY KEY, text text NOT NULL, stored_at timestamptz DEFAULT now())`,
    );
  });

  afterAll(async () => {
    const admin = buses[0]?.adminClient;
    const ours = admin ? (await admin.listTopics()).filter((t) => t.startsWith(prefix)) : [];
    if (admin && ours.length) await admin.deleteTopics({ topics: ours });
    await Promise.all(buses.map((b) => b.close()));
    await db?.close();
  });

  it('holds the event on its paused partition, keeps the others flowing, reports not ready, and stores it once after', async () => {
    const metrics = new Metrics('bus-outage-test');
    const bus = await newBus(metrics);
    const handled: Array<{ text: string; at: number }> = [];
    const runner = bus.subscribe({
      groupId: `outage-${uniqueSuffix()}`,
      retryBaseMs: 200,
      retryMaxMs: 2_000,
      handlers: {
        [TOPIC]: async ({ payload }) => {
          if (payload.text.startsWith('db:'))
            await viaProxy.query(
              `INSERT INTO ${table} (report_id, text) VALUES ($1, $2) ON CONFLICT (report_id) DO NOTHING`,
              [payload.reportId, payload.text],
            );
          handled.push({ text: payload.text, at: Date.now() });
        },
      },
    });
    await runner.start();
    await bus.healthCheck();

    await proxy.down();
    const outageStarted = Date.now();
    const held = await bus.publish(TOPIC, sampleComplaint({ text: 'db:stored after the outage' }));
    const behind = await publishOn(bus, 'behind it on the same partition', (p) => p === held.partition);

    // Readiness turns false once the hold is older than 3 s, and names where and why.
    await eventually(
      () =>
        expect(bus.healthCheck()).rejects.toThrow(
          /holds .*complaint\.received\.v1\[\d\] at offset \d+ for \d+ s: (ECONNREFUSED|HANDLER_FAILED|ECONNRESET)/,
        ),
      { timeoutMs: 10_000 },
    );
    expect(runner.heldPartitions()).toEqual([
      expect.objectContaining({ partition: held.partition, offset: held.offset }),
    ]);
    expect(await metricValue(metrics, 'aduan_consumer_paused_partitions')).toBe(1);
    // The backlog an operator alerts on: the held event and the one queued behind it.
    expect(await metricValue(metrics, 'aduan_consumer_lag')).toBeGreaterThanOrEqual(2);

    // The other partition keeps flowing meanwhile.
    const other = await publishOn(bus, 'other partition during the outage', (p) => p !== held.partition);
    await eventually(() => expect(handled.map((h) => h.text)).toContain(other.text));
    expect(other.partition).not.toBe(held.partition);

    await new Promise((r) => setTimeout(r, OUTAGE_MS - (Date.now() - outageStarted)));
    expect(handled.map((h) => h.text)).not.toContain(behind.text);
    expect(await metricValue(metrics, 'aduan_consumer_retries_total')).toBeGreaterThan(5);
    await expect(bus.healthCheck()).rejects.toThrow(/for (1\d|2\d) s/);

    await proxy.up();
    const back = Date.now();
    await eventually(() => expect(handled.map((h) => h.text)).toContain(behind.text), { timeoutMs: 15_000 });
    const stored = await direct.query(`SELECT report_id FROM ${table}`);
    expect(stored.rows).toHaveLength(1);
    // Order on the partition is kept: the held event first, then the one behind it.
    const texts = handled.map((h) => h.text);
    expect(texts.indexOf('db:stored after the outage')).toBeLessThan(texts.indexOf(behind.text));
    expect(handled.find((h) => h.text === 'db:stored after the outage')!.at).toBeGreaterThanOrEqual(back);

    await bus.healthCheck();
    expect(runner.heldPartitions()).toEqual([]);
    expect(await metricValue(metrics, 'aduan_consumer_paused_partitions')).toBe(0);
    expect(await dlqDepth(bus.adminClient, `${prefix}${TOPIC}.dlq`)).toBe(0);
    expect(await metricValue(metrics, 'aduan_dlq_depth')).toBe(0);
    await eventually(async () => expect(await metricValue(metrics, 'aduan_consumer_lag')).toBe(0));
    expect(behind.partition).toBe(held.partition);
  }, 90_000);

  it('stops promptly while a partition is held on a long backoff', async () => {
    const bus = await newBus();
    let attempts = 0;
    const runner = bus.subscribe({
      groupId: `stop-${uniqueSuffix()}`,
      retryBaseMs: 60_000,
      retryMaxMs: 120_000,
      handlers: {
        [TOPIC]: async ({ payload }) => {
          if (payload.text !== 'never stored') return; // the first test's events
          attempts++;
          throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
        },
      },
    });
    await runner.start();
    await bus.publish(TOPIC, sampleComplaint({ text: 'never stored' }));
    await eventually(() => expect(runner.heldPartitions()).toHaveLength(1));
    const started = Date.now();
    await runner.stop();
    expect(Date.now() - started).toBeLessThan(5_000);
    const attemptsAtStop = attempts;
    await new Promise((r) => setTimeout(r, 1_500));
    expect(attempts).toBe(attemptsAtStop);
    expect(await dlqDepth(bus.adminClient, `${prefix}${TOPIC}.dlq`)).toBe(0);
  }, 60_000);

  it('dead-letters at once what can never succeed: bytes PostgreSQL refuses (a NUL), a contract violation, an event without its envelope', async () => {
    const bus = await newBus();
    const runner = bus.subscribe({
      groupId: `nul-${uniqueSuffix()}`,
      handlers: {
        [TOPIC]: async ({ payload }) => {
          if (!payload.text.startsWith('nul:')) return;
          await direct.query(`INSERT INTO ${table} (report_id, text) VALUES ($1, $2)`, [
            payload.reportId,
            payload.text,
          ]);
        },
      },
    });
    await runner.start();
    const started = Date.now();
    await bus.publish(TOPIC, sampleComplaint({ text: 'nul:a\u0000b' }));
    await bus.sendRaw(TOPIC, {
      key: randomUUID(),
      value: JSON.stringify({ text: 'no report id' }),
      headers: {},
    });
    // A well-formed envelope around a payload the contract refuses (an empty text).
    const refused = { ...sampleComplaint(), text: '' };
    await bus.sendRaw(TOPIC, {
      key: refused.reportId,
      value: JSON.stringify(refused),
      headers: cloudEventHeaders(TOPIC, refused, { source: '/aduan/test' }),
    });
    const dlq = `${prefix}${TOPIC}.dlq`;
    // Each source event once (a dead letter whose commit a broker restart interrupted is
    // written again: at least once, like every publish).
    const dead = await eventually(
      async () => {
        const entries = await readToEnd(bus.kafkaClient, bus.adminClient, dlq);
        const distinct = new Map(
          entries.map((d) => [`${d.headers['dlq_source_partition']}:${d.headers['dlq_source_offset']}`, d]),
        );
        expect(
          [...distinct.values()].map((d) => [d.headers['dlq_code'], d.headers['dlq_attempts']]).sort(),
        ).toEqual([
          ['CONTRACT_VIOLATION', '1'],
          ['MALFORMED_ENVELOPE', '1'],
          ['PG_22021', '1'],
        ]);
        return entries;
      },
      { timeoutMs: 10_000 },
    );
    expect(Date.now() - started).toBeLessThan(12_000);
    expect(runner.heldPartitions()).toEqual([]);
    expect(dead.find((d) => d.headers['dlq_code'] === 'CONTRACT_VIOLATION')!.headers['dlq_reason']).toMatch(
      /text must NOT have fewer than 1 characters/,
    );
    expect(dead.find((d) => d.headers['dlq_code'] === 'PG_22021')!.headers['dlq_reason']).toMatch(
      /invalid byte sequence/,
    );
  }, 60_000);
});
