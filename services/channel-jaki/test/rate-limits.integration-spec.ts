import {
  capturedLogger,
  createTestDatabase,
  testEnv,
  uniqueTopicPrefix,
  type TestDatabase,
} from '@aduan/testing';
import { startChannelJaki } from '../src/app';

/** Two instances on one database share the allowances, as they would behind a load balancer. */
describe('channel-jaki: reports per address and per app', () => {
  const { logger } = capturedLogger('channel-jaki');
  let services: Array<Awaited<ReturnType<typeof startChannelJaki>>> = [];
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('jaki_limits');
    const env = {
      JAKI_PORT: '0',
      JAKI_API_KEYS: 'jaki-android:key-android',
      JAKI_REQUESTS_PER_IP_PER_MINUTE: '3',
      KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: uniqueTopicPrefix(),
      DATABASE_URL: db.url,
    };
    services = [await startChannelJaki(env, logger), await startChannelJaki(env, logger)];
  });

  afterAll(async () => {
    for (const s of services) await s.stop();
    await db?.drop();
  });

  const post = (service: { port: number }, key: string, n: number) =>
    fetch(`http://127.0.0.1:${service.port}/v1/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': key },
      body: JSON.stringify({ text: `Sampah menumpuk di pinggir kali, laporan ${n}` }),
    });

  it('answers 429 with Retry-After once an address used its allowance on either instance, even with a wrong key', async () => {
    const [a, b] = [services[0]!, services[1]!];
    expect((await post(a, 'key-android', 1)).status).toBe(202);
    expect((await post(b, 'key-android', 2)).status).toBe(202);
    expect((await post(a, 'not-a-key', 3)).status).toBe(401);
    const refused = await post(b, 'key-android', 4);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
