import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { EventBus } from '@aduan/bus';
import { deadLetterTopic, type ComplaintReceived, type ComplaintRouted } from '@aduan/contracts';
import { createRoutingContext, proposeRouting } from '@aduan/routing';
import {
  capturedLogger,
  collectEvents,
  createTestDatabase,
  eventually,
  testEnv,
  uniqueTopicPrefix,
  type TestDatabase,
} from '@aduan/testing';
import { startRouter, type RouterService } from '../src/app';
import { toRoutingInput } from '../src/routing/to-routed-event';
import { receivedComplaint } from './received';

const POTHOLE = 'Jalan berlubang dalam di depan SD, bahaya buat motor';

/**
 * The router decides a partition's batch at once (ADR 0071): two instances share the group,
 * reports of one pothole arrive side by side in different partitions, and one record in the
 * backlog cannot be read at all.
 */
describe('router: a backlog decided a batch at a time by two instances', () => {
  const { logger } = capturedLogger('router');
  let database: TestDatabase;
  let bus: EventBus;
  const routers: RouterService[] = [];
  let routed: ComplaintRouted[];
  const incidents: ComplaintReceived[][] = [];
  const singles: ComplaintReceived[] = [];
  const poisonKey = randomUUID();

  const complaint = (lat: number, lon: number, minutesLater: number) =>
    receivedComplaint(POTHOLE, lat, lon, minutesLater);

  beforeAll(async () => {
    database = await createTestDatabase('router_batches');
    const prefix = uniqueTopicPrefix();
    bus = new EventBus({
      brokers: testEnv.kafkaBrokers,
      clientId: 'router-batches-test',
      source: '/test',
      logger,
      topicPrefix: prefix,
    });
    await bus.connect();
    await bus.ensureTopics(['aduan.complaint.received.v1', 'aduan.complaint.routed.v1']);

    // Four potholes reported three times each, a few metres and minutes apart; eight more
    // potholes a kilometre apart from each other, reported once.
    for (let k = 0; k < 4; k++)
      incidents.push([0, 1, 2].map((j) => complaint(-6.22 - k * 0.01, 106.8 + j * 0.0002, j * 5)));
    for (let k = 0; k < 8; k++) singles.push(complaint(-6.26 - (k % 4) * 0.01, 106.82 + (k >> 2) * 0.01, 0));
    const all = [...incidents.flat(), ...singles];
    const context = createRoutingContext();
    expect(all.filter((c) => proposeRouting(toRoutingInput(c), context).outcome !== 'ROUTED')).toEqual([]);

    // The whole backlog is on the topic before a router joins, so each fetch is a batch.
    await Promise.all(incidents.flat().map((c) => bus.publish('aduan.complaint.received.v1', c)));
    await bus.sendRaw('aduan.complaint.received.v1', {
      key: poisonKey,
      value: '{"reportId": "not json at all',
      headers: { ce_specversion: '1.0', ce_type: 'aduan.complaint.received.v1' },
    });
    await Promise.all(singles.map((c) => bus.publish('aduan.complaint.received.v1', c)));
    routed = await collectEvents(bus, 'aduan.complaint.routed.v1');

    const env = {
      ROUTER_PORT: '0',
      DATABASE_URL: database.url,
      KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: prefix,
    };
    // One after the other: both run the migrations on start.
    routers.push(await startRouter(env, logger));
    routers.push(await startRouter(env, logger));
  });

  /** Every record on the received topic's dead-letter topic, read from the start. */
  async function deadLetters(): Promise<Array<{ key: string | undefined; code: string | undefined }>> {
    const topic = bus.physical(deadLetterTopic('aduan.complaint.received.v1'));
    const offsets = await bus.adminClient.fetchTopicOffsets(topic);
    const total = offsets.reduce((sum, p) => sum + Number(p.high), 0);
    const consumer = new Kafka({ brokers: testEnv.kafkaBrokers, logLevel: logLevel.NOTHING }).consumer({
      groupId: `dlq-reader-${randomUUID()}`,
    });
    const seen: Array<{ key: string | undefined; code: string | undefined }> = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) =>
          void seen.push({ key: message.key?.toString(), code: message.headers?.['dlq_code']?.toString() }),
      });
      await eventually(() => expect(seen.length).toBe(total));
    } finally {
      await consumer.disconnect();
    }
    return seen;
  }

  afterAll(async () => {
    for (const r of routers) await r.stop();
    await bus?.close();
    await database?.drop();
  });

  it('routes every complaint once, links the duplicates to their incident and dead-letters only the unreadable record', async () => {
    const all = [...incidents.flat(), ...singles];
    await eventually(() => expect(new Set(routed.map((r) => r.reportId)).size).toBe(all.length), {
      timeoutMs: 60_000,
    });

    const decisions = new Map<string, ComplaintRouted[]>();
    for (const r of routed) decisions.set(r.reportId, [...(decisions.get(r.reportId) ?? []), r]);
    expect(all.filter((c) => decisions.get(c.reportId)?.length !== 1).map((c) => c.reportId)).toEqual([]);
    expect(decisions.has(poisonKey)).toBe(false);

    for (const reports of incidents) {
      const outcomes = reports.map((c) => decisions.get(c.reportId)![0]!);
      const first = outcomes.filter((d) => d.outcome !== 'DUPLICATE');
      expect(first).toHaveLength(1);
      expect(outcomes.filter((d) => d !== first[0]).map((d) => [d.outcome, d.duplicateOf])).toEqual([
        ['DUPLICATE', first[0]!.reportId],
        ['DUPLICATE', first[0]!.reportId],
      ]);
    }
    expect(singles.map((c) => decisions.get(c.reportId)![0]!.outcome)).toEqual(singles.map(() => 'ROUTED'));

    // One open incident per pothole, whichever instance decided which report.
    const [{ n }] = (await routers[0]!.db.query(
      'SELECT count(*)::int AS n FROM routing_incident WHERE report_id = ANY($1::uuid[])',
      [all.map((c) => c.reportId)],
    )) as Array<{ n: number }>;
    expect(n).toBe(incidents.length + singles.length);

    const dlq = await deadLetters();
    expect(dlq).toEqual([{ key: poisonKey, code: 'MALFORMED_ENVELOPE' }]);
  });
});
