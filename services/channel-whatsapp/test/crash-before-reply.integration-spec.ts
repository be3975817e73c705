import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hubSignature256 } from '@aduan/channel-sdk';
import {
  createTestDatabase,
  eventually,
  startServiceProcess,
  testEnv,
  uniqueTopicPrefix,
  type ServiceProcess,
  type TestDatabase,
} from '@aduan/testing';
import { fakeCloudApi, sentText, type FakeCloudApi } from './fake-providers';

const SECRET = 'test_app_secret';

describe('channel-whatsapp killed between "report accepted" and "acknowledgement sent"', () => {
  let db: TestDatabase;
  let cloud: FakeCloudApi;
  let service: ServiceProcess | undefined;

  beforeAll(async () => {
    [db, cloud] = await Promise.all([createTestDatabase('whatsapp_crash'), fakeCloudApi()]);
  });
  afterAll(async () => {
    await service?.stop();
    await cloud.close();
    await db.drop();
  });

  it('sends the citizen exactly one acknowledgement after the restart', async () => {
    const env = {
      WHATSAPP_PORT: '0',
      WHATSAPP_APP_SECRET: SECRET,
      WHATSAPP_ACCESS_TOKEN: 'test-access-token',
      WHATSAPP_API_BASE_URL: `${cloud.url}/v21.0`,
      DATABASE_URL: db.url,
      KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: uniqueTopicPrefix(),
    };
    service = await startServiceProcess('channel-whatsapp', env);
    cloud.up = false; // Meta is unreachable: the acknowledgement cannot go out yet.
    const body = Buffer.from(
      readFileSync(join(__dirname, 'fixtures', 'whatsapp-text.json'), 'utf8')
        .replaceAll('wamid.xyzxyz', 'wamid.crash1')
        .replaceAll('972987654321', '6281500000001')
        .replace('Body Text', 'Banjir setinggi lutut di depan pasar, mohon pompa air')
        .replace(/"timestamp": "\d+"/, `"timestamp": "${Math.floor(Date.now() / 1000)}"`),
    );
    const res = await fetch(service.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': hubSignature256(body, SECRET) },
      body,
    });
    expect(res.status).toBe(200); // the report is on Kafka
    const refused = () => cloud.requests.filter((r) => r.method === 'POST' && r.status === 503);
    await eventually(() => expect(refused().length).toBeGreaterThan(0)); // a send was tried and failed

    await service.kill();
    service = undefined;
    cloud.up = true;
    service = await startServiceProcess('channel-whatsapp', env);

    const toCitizen = () =>
      cloud.requests.filter(
        (r) => r.method === 'POST' && r.status === 200 && (r.body as { to: string }).to === '6281500000001',
      );
    await eventually(() => expect(toCitizen()).toHaveLength(1), { timeoutMs: 30_000 });
    expect(sentText(toCitizen()[0]!)).toMatch(/[2-9A-HJKMNP-TV-Z]{5}-[2-9A-HJKMNP-TV-Z]{5}/);
    // Nothing more follows: the acknowledgement was sent once.
    await new Promise((r) => setTimeout(r, 2000));
    expect(toCitizen()).toHaveLength(1);
  });
});
