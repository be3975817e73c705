import { runChannel, type RunningChannel } from '@aduan/channel-sdk';
import {
  capturedLogger,
  createTestDatabase,
  testEnv,
  uniqueTopicPrefix,
  type TestDatabase,
} from '@aduan/testing';
import { open311 } from '../src/app';

const KEY = 'limits-test-key';

/** Two instances of the adapter on one database, as two replicas run behind one address. */
describe('channel-open311: posts per client address and per app, shared by two instances', () => {
  let db: TestDatabase;
  const prefix = uniqueTopicPrefix();
  const running: RunningChannel[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('open311_limits');
  });
  afterAll(async () => {
    for (const r of running) await r.stop();
    await db?.drop();
  });

  async function twoInstances(limits: NodeJS.ProcessEnv): Promise<string[]> {
    const env = {
      OPEN311_PORT: '0',
      OPEN311_API_KEYS: `warga-app:${KEY}`,
      DATABASE_URL: db.url,
      KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: prefix,
      ...limits,
    };
    const pair = [
      await runChannel(open311, env, capturedLogger('channel-open311').logger),
      await runChannel(open311, env, capturedLogger('channel-open311').logger),
    ];
    running.push(...pair);
    return pair.map((r) => `http://127.0.0.1:${r.port}/open311/v2`);
  }

  const post = (base: string, n: number) =>
    fetch(`${base}/requests.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': KEY },
      body: JSON.stringify({
        service_code: 'jalan',
        lat: -6.2146,
        long: 106.8451,
        description: `Jalan berlubang nomor ${n}`,
      }),
    });

  async function expectRefused(res: Response, limit: string): Promise<void> {
    expect(res.status).toBe(429);
    const wait = Number(res.headers.get('retry-after'));
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(60);
    expect(JSON.stringify(await res.json())).toContain(limit);
  }

  it('answers 429 with Retry-After to an address over its allowance, whichever instance it reaches', async () => {
    const [a, b] = await twoInstances({
      OPEN311_REQUESTS_PER_IP_PER_MINUTE: '2',
      OPEN311_REQUESTS_PER_KEY_PER_MINUTE: '0',
    });
    expect((await post(a!, 1)).status).toBe(201);
    expect((await post(b!, 2)).status).toBe(201);
    await expectRefused(await post(a!, 3), 'open311:posts-per-ip');
    await expectRefused(await post(b!, 4), 'open311:posts-per-ip');
  });

  it('answers 429 with Retry-After to an app over its allowance', async () => {
    const [a, b] = await twoInstances({
      OPEN311_REQUESTS_PER_IP_PER_MINUTE: '0',
      OPEN311_REQUESTS_PER_KEY_PER_MINUTE: '1',
    });
    expect((await post(b!, 5)).status).toBe(201);
    await expectRefused(await post(a!, 6), 'open311:posts-per-key');
  });
});
