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

describe('channel-jaki: POST /v1/reports against a real broker', () => {
  const prefix = uniqueTopicPrefix();
  const { logger, lines } = capturedLogger('channel-jaki');
  let service: Awaited<ReturnType<typeof startChannelJaki>>;
  let bus: EventBus;
  let received: ComplaintReceived[];
  let base: string;
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('jaki_intake');
    service = await startChannelJaki(
      {
        JAKI_PORT: '0',
        JAKI_API_KEYS: 'key-android,key-ios',
        JAKI_MAX_BODY: '8kb',
        KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
        KAFKA_TOPIC_PREFIX: prefix,
        DATABASE_URL: db.url,
      },
      logger,
    );
    base = `http://127.0.0.1:${service.port}`;
    bus = new EventBus({
      brokers: testEnv.kafkaBrokers,
      clientId: 'jaki-test',
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

  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${base}/v1/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'key-android', ...headers },
      body,
    });

  it.each([
    ['malformed JSON', '{"text": "jalan rusak"', 400, /not valid JSON/],
    ['a body that is not an object', '"jalan rusak"', 400, /JSON object with a "text" field/],
    ['missing text', '{"category":"Jalan"}', 400, /text is required/],
    ['empty text', '{"text":"   "}', 400, /text must not be empty/],
    [
      'a latitude that is not a number',
      '{"text":"banjir","location":{"lat":"minus six","lon":106.8}}',
      400,
      /location.lat must be number/,
    ],
    [
      'an unknown category',
      '{"text":"banjir","category":"Alien"}',
      400,
      /category "Alien" is not a known category/,
    ],
    ['a body over the limit', JSON.stringify({ text: 'x'.repeat(9000) }), 413, /larger than the limit/],
  ])(
    'refuses %s with an error naming the problem, and publishes nothing',
    async (_case, body, status, message) => {
      const res = await post(body);
      expect(res.status).toBe(status);
      expect(((await res.json()) as { message: string }).message).toMatch(message);
      await new Promise((r) => setTimeout(r, 300));
      expect(received).toHaveLength(0); // these cases run before any accepted report
    },
  );

  it('answers 202 with a tracking code only once the complaint is on Kafka', async () => {
    const res = await post(
      JSON.stringify({
        text: 'Jalan berlubang besar di depan SDN 01, bahaya buat motor',
        category: 'Jalan',
        location: { lat: -6.1706, lon: 106.810469 },
        reporter: { name: 'Budi Santoso', phone: '081234567890', email: 'budi@example.com' },
        extraFieldFromANewerApp: true,
      }),
    );
    expect(res.status).toBe(202);
    const body = (await res.json()) as {
      reportId: string;
      trackingCode: string;
      trackingUrl: string;
      state: string;
    };
    expect(body.trackingCode).toMatch(/^[2-9A-HJKMNP-TV-Z]{5}-[2-9A-HJKMNP-TV-Z]{5}$/);
    expect(body.trackingUrl).toContain(body.trackingCode);
    expect(body.state).toBe('RECEIVED');

    const event = await eventually(() => {
      const e = received.find((r) => r.reportId === body.reportId);
      if (!e) throw new Error('not yet on the topic');
      return e;
    });
    expect(event).toMatchObject({
      channel: 'jaki',
      trackingCode: body.trackingCode,
      category: 'Jalan',
      location: { lat: -6.1706, lon: 106.810469 },
      reporter: { anonymous: false, answers: true },
    });
    expect(await service.keptContact(event)).toEqual({
      name: 'Budi Santoso',
      phone: '081234567890',
      email: 'budi@example.com',
    });
    expect(event).not.toHaveProperty('extraFieldFromANewerApp');
  });

  it('gives a repeated Idempotency-Key the first answer and publishes once', async () => {
    const body = JSON.stringify({ text: 'Sampah menumpuk di pinggir kali' });
    const first = (await (await post(body, { 'idempotency-key': 'app-retry-1' })).json()) as {
      reportId: string;
    };
    const again = await (await post(body, { 'idempotency-key': 'app-retry-1' })).json();
    expect(again).toEqual(first);
    const other = (await (
      await post(body, { 'idempotency-key': 'app-retry-1', 'x-api-key': 'key-ios' })
    ).json()) as { reportId: string };
    expect(other.reportId).not.toBe(first.reportId); // keys are per client app
    await eventually(() => expect(received.filter((r) => r.reportId === first.reportId)).toHaveLength(1));
  });

  it('refuses the same Idempotency-Key with another body with 409, and publishes nothing for it', async () => {
    expect((await post('{"text":"Got mampet di RT 03"}', { 'idempotency-key': 'app-retry-2' })).status).toBe(
      202,
    );
    const other = await post('{"text":"Got mampet di RT 04"}', { 'idempotency-key': 'app-retry-2' });
    expect(other.status).toBe(409);
    expect(((await other.json()) as { message: string }).message).toMatch(/different request body/);
    await new Promise((r) => setTimeout(r, 300));
    expect(received.filter((r) => r.text.includes('RT 04'))).toHaveLength(0);
  });

  it('takes NUL characters out of a report before it is published', async () => {
    const res = await post(JSON.stringify({ text: 'Lampu\u0000 mati', reporter: { name: 'Ani\u0000' } }));
    expect(res.status).toBe(202);
    const { reportId } = (await res.json()) as { reportId: string };
    const event = await eventually(() => {
      const e = received.find((r) => r.reportId === reportId);
      if (!e) throw new Error('not yet on the topic');
      return e;
    });
    expect(event.text).toBe('Lampu mati');
    expect(await service.keptContact(event)).toEqual({ name: 'Ani' });
  });

  it('refuses a missing or wrong API key with 401, and keeps serving', async () => {
    expect((await post('{"text":"x"}', { 'x-api-key': '' })).status).toBe(401);
    expect((await post('{"text":"x"}', { 'x-api-key': 'stolen' })).status).toBe(401);
    expect((await post('{"text":"ok"}', { 'x-api-key': '', authorization: 'Bearer key-ios' })).status).toBe(
      202,
    );
    expect((await fetch(`${base}/health/ready`)).status).toBe(200);
  });

  it("never writes the reporter's contact data to its log", () => {
    const log = lines.join('\n');
    for (const secret of ['Budi', '081234567890', 'budi@example.com', 'key-android'])
      expect(log).not.toContain(secret);
  });

  it('answers 503 with Retry-After, never 202 or 500, while its database is away', async () => {
    await db.drop();
    const res = await post(JSON.stringify({ text: 'Banjir di kolong tol' }), {
      'idempotency-key': 'db-away',
    });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('30');
    expect(((await res.json()) as { message: string }).message).toMatch(/send the request again later/);
  });
});
