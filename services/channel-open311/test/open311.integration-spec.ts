import { runChannel, type RunningChannel } from '@aduan/channel-sdk';
import type { ComplaintReceived } from '@aduan/contracts';
import { EventBus } from '@aduan/bus';
import {
  capturedLogger,
  collectEvents,
  createTestDatabase,
  eventually,
  testEnv,
  uniqueTopicPrefix,
  type TestDatabase,
} from '@aduan/testing';
import { open311 } from '../src/app';
import { fieldsOf, readXml } from './xml-reader';

const KEY = 'adapter-test-key';

/** The adapter alone on a real broker and database; the status service is not running. */
describe('channel-open311 on its own: intake without the status service, features off while unset', () => {
  let db: TestDatabase;
  let bus: EventBus;
  let received: ComplaintReceived[];
  const prefix = uniqueTopicPrefix();
  const running: RunningChannel[] = [];

  async function start(extra: NodeJS.ProcessEnv) {
    const { logger, lines } = capturedLogger('channel-open311');
    const channel = await runChannel(
      open311,
      {
        OPEN311_PORT: '0',
        DATABASE_URL: db.url,
        KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
        KAFKA_TOPIC_PREFIX: prefix,
        ...extra,
      },
      logger,
    );
    running.push(channel);
    return { base: `http://127.0.0.1:${channel.port}/open311/v2`, lines };
  }

  beforeAll(async () => {
    db = await createTestDatabase('open311_adapter');
    const { logger } = capturedLogger('collector');
    bus = new EventBus({
      brokers: testEnv.kafkaBrokers,
      clientId: 'open311-test',
      source: '/test',
      logger,
      topicPrefix: prefix,
    });
    await bus.connect();
    await bus.ensureTopics(['aduan.complaint.received.v1']);
    received = await collectEvents(bus, 'aduan.complaint.received.v1');
  }, 60_000);

  afterAll(async () => {
    for (const r of running) await r.stop();
    await bus?.close();
    await db?.drop();
  });

  it('without keys or a status service it says what is off, refuses posts with 503 and still lists services', async () => {
    const { base, lines } = await start({});
    const log = lines.join('\n');
    expect(log).toContain('OPEN311_API_KEYS is not set');
    expect(log).toContain('STATUS_BASE_URL is not set');
    const posted = await fetch(`${base}/requests.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        api_key: KEY,
        service_code: 'jalan',
        lat: '-6.2',
        long: '106.8',
        description: 'x',
      }),
    });
    expect(posted.status).toBe(503);
    expect(await posted.json()).toEqual([
      { code: 503, description: expect.stringMatching(/OPEN311_API_KEYS/) },
    ]);
    const listed = await fetch(`${base}/requests.xml`);
    expect(listed.status).toBe(503);
    expect(fieldsOf(readXml(await listed.text()).children[0]!)).toEqual({
      code: '503',
      description: expect.stringMatching(/STATUS_BASE_URL/),
    });
    expect((await fetch(`${base}/services.json`)).status).toBe(200);
  });

  it('takes a request in while the status service is down, and answers lists with 503 and Retry-After', async () => {
    const { base } = await start({
      OPEN311_API_KEYS: `warga-app:${KEY}`,
      // Nothing listens here: the status service is away.
      STATUS_BASE_URL: 'http://127.0.0.1:9',
    });
    const res = await fetch(`${base}/requests.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': KEY },
      body: JSON.stringify({
        service_code: 'banjir',
        lat: -6.2146,
        long: 106.8451,
        address_string: 'Jl. Kebon Sirih, depan sekolah',
        description: 'Saluran tersumbat, air meluap ke jalan',
        first_name: 'Dewi',
        email: 'dewi@example.id',
      }),
    });
    expect(res.status).toBe(201);
    const [answer] = (await res.json()) as Array<{ service_request_id: string; token: string }>;
    const event = await eventually(() => {
      const e = received.find((r) => r.reportId === answer!.token);
      if (!e) throw new Error('not on Kafka yet');
      return e;
    });
    expect(event).toMatchObject({
      channel: 'open311',
      trackingCode: answer!.service_request_id,
      category: 'Banjir',
      location: { lat: -6.2146, lon: 106.8451 },
      visibility: 'public',
      reporter: { anonymous: false, answers: false },
    });
    expect(await running.at(-1)!.keptContact(event)).toEqual({ name: 'Dewi', email: 'dewi@example.id' });
    // The address the reporter wrote helps the router place the report, and stays off the public text.
    expect(event.text).toBe('Saluran tersumbat, air meluap ke jalan');
    expect(event.subject).toBe('Lokasi / location: Jl. Kebon Sirih, depan sekolah');

    const token = await fetch(`${base}/tokens/${answer!.token}.json`);
    expect(await token.json()).toEqual([
      { service_request_id: answer!.service_request_id, token: answer!.token },
    ]);

    const listed = await fetch(`${base}/requests.json`);
    expect(listed.status).toBe(503);
    expect(listed.headers.get('retry-after')).toBe('30');
    expect(await listed.json()).toEqual([{ code: 503, description: expect.any(String) }]);
    expect((await fetch(`${base}/requests/${answer!.service_request_id}.json`)).status).toBe(503);
    expect((await fetch(`${base}/discovery.json`)).status).toBe(200);
  });

  it('refuses a body it cannot read by its type, in the spec shape', async () => {
    const { base } = await start({ OPEN311_API_KEYS: KEY, STATUS_BASE_URL: 'http://127.0.0.1:9' });
    const res = await fetch(`${base}/requests.json`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'service_code=jalan',
    });
    expect(res.status).toBe(415);
    expect(await res.json()).toEqual([{ code: 415, description: expect.stringMatching(/form-encoded/) }]);
    const big = await fetch(`${base}/requests.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `description=${'a'.repeat(70_000)}`,
    });
    expect(big.status).toBe(413);
  });

  it('refuses lookups by id beyond the per-minute allowance with 429, counting a list by its ids', async () => {
    const { base } = await start({ OPEN311_LOOKUPS_PER_MINUTE: '3', STATUS_BASE_URL: 'http://127.0.0.1:9' });
    const tooMany = await fetch(`${base}/requests.json?service_request_id=A,B,C,D`);
    expect(tooMany.status).toBe(429);
    for (let i = 0; i < 3; i += 1)
      expect((await fetch(`${base}/requests/ZZZZZ-ZZZZ${i}.json`)).status).not.toBe(429);
    const refused = await fetch(`${base}/tokens/00000000-0000-4000-8000-000000000000.xml`);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(fieldsOf(readXml(await refused.text()).children[0]!)).toEqual({
      code: '429',
      description: expect.stringMatching(/too many/),
    });
    // Lists without ids are not lookups.
    expect((await fetch(`${base}/requests.json`)).status).toBe(503);
  });
});
