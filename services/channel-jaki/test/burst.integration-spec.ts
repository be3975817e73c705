import { EventBus } from '@aduan/bus';
import type { ComplaintReceived } from '@aduan/contracts';
import {
  capturedLogger,
  collectEvents,
  createTestDatabase,
  eventually,
  testEnv,
  uniqueTopicPrefix,
  type TestDatabase,
} from '@aduan/testing';
import { startChannelJaki } from '../src/app';

const BURST = 60;

/**
 * A burst beyond what the adapter may hold in hand (CHANNEL_INTAKE_MAX_IN_FLIGHT) is refused
 * with 503 and Retry-After rather than queued in memory; what was refused was never published,
 * what was accepted is on Kafka, and a resend of each refused complaint is taken.
 */
describe('channel-jaki: a burst over the in-flight limit', () => {
  const prefix = uniqueTopicPrefix();
  const { logger } = capturedLogger('channel-jaki');
  let service: Awaited<ReturnType<typeof startChannelJaki>>;
  let bus: EventBus;
  let received: ComplaintReceived[];
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('jaki_burst');
    service = await startChannelJaki(
      {
        JAKI_PORT: '0',
        JAKI_API_KEYS: 'key-android',
        JAKI_REQUESTS_PER_IP_PER_MINUTE: '0',
        JAKI_REQUESTS_PER_KEY_PER_MINUTE: '0',
        CHANNEL_INTAKE_MAX_IN_FLIGHT: '1',
        KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
        KAFKA_TOPIC_PREFIX: prefix,
        DATABASE_URL: db.url,
      },
      logger,
    );
    bus = new EventBus({
      brokers: testEnv.kafkaBrokers,
      clientId: 'jaki-burst-test',
      source: '/test',
      logger,
      topicPrefix: prefix,
    });
    await bus.connect();
    received = await collectEvents(bus, 'aduan.complaint.received.v1');
  });

  afterAll(async () => {
    await service?.stop();
    await bus?.close();
    await db?.drop();
  });

  const post = (n: number) =>
    fetch(`http://127.0.0.1:${service.port}/v1/reports`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-api-key': 'key-android',
        'idempotency-key': `burst-${n}`,
      },
      body: JSON.stringify({
        text: `Genangan air setinggi lutut di Jl. Kramat Raya nomor ${n}, motor mogok.`,
        location: { lat: -6.1865, lon: 106.8456 },
      }),
    });

  it('refuses what it cannot hold with 503 and Retry-After, publishes only what it accepted, and takes the resends', async () => {
    const answers = await Promise.all(
      Array.from({ length: BURST }, async (_, n) => {
        const res = await post(n);
        return { n, status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.json() };
      }),
    );
    const accepted = answers.filter((a) => a.status === 202);
    const refused = answers.filter((a) => a.status === 503);
    expect(accepted.length + refused.length).toBe(BURST);
    expect(accepted.length).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) {
      expect(r.retryAfter).toBe('1');
      expect((r.body as { message: string }).message).toMatch(/intake is busy/);
    }
    // An operator sees every refusal counted once, whether the door or the intake turned it away.
    const metrics = await (await fetch(`http://127.0.0.1:${service.port}/metrics`)).text();
    const counted = [...metrics.matchAll(/^aduan_intake_saturated_total\{[^}]*\} (\d+)$/gm)];
    expect(counted.reduce((n, m) => n + Number(m[1]), 0)).toBe(refused.length);

    const acceptedIds = accepted.map((a) => (a.body as { reportId: string }).reportId);
    await eventually(() =>
      expect(received.map((e) => e.reportId)).toEqual(expect.arrayContaining(acceptedIds)),
    );
    // Nothing of a refused complaint reached the topic.
    await new Promise((r) => setTimeout(r, 500));
    expect(received).toHaveLength(accepted.length);

    // Sent again one at a time, as a client honouring Retry-After does, each is taken in.
    for (const r of refused) expect((await post(r.n)).status).toBe(202);
    await eventually(() => expect(new Set(received.map((e) => e.reportId)).size).toBe(BURST));
  });
});
