import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hubSignature256 } from '@aduan/channel-sdk';
import { createTestDatabase, expectOneReplyAcrossKill, testEnv, uniqueTopicPrefix } from '@aduan/testing';
import { fakeCloudApi, sentText } from './fake-providers';

const SECRET = 'test_app_secret';

describe('channel-whatsapp killed between "report accepted" and "acknowledgement sent"', () => {
  it('sends the citizen exactly one acknowledgement after the restart', async () => {
    const [db, cloud] = await Promise.all([createTestDatabase('whatsapp_crash'), fakeCloudApi()]);
    const body = Buffer.from(
      readFileSync(join(__dirname, 'fixtures', 'whatsapp-text.json'), 'utf8')
        .replaceAll('wamid.xyzxyz', 'wamid.crash1')
        .replaceAll('972987654321', '6281500000001')
        .replace('Body Text', 'Banjir setinggi lutut di depan pasar, mohon pompa air')
        .replace(/"timestamp": "\d+"/, `"timestamp": "${Math.floor(Date.now() / 1000)}"`),
    );
    try {
      const ack = await expectOneReplyAcrossKill({
        service: 'channel-whatsapp',
        env: {
          WHATSAPP_PORT: '0',
          WHATSAPP_APP_SECRET: SECRET,
          WHATSAPP_ACCESS_TOKEN: 'test-access-token',
          WHATSAPP_API_BASE_URL: `${cloud.url}/v21.0`,
          DATABASE_URL: db.url,
          KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
          KAFKA_TOPIC_PREFIX: uniqueTopicPrefix(),
        },
        providerUp: (up) => (cloud.up = up),
        deliver: async (service) => {
          const res = await fetch(service.url, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'x-hub-signature-256': hubSignature256(body, SECRET),
            },
            body,
          });
          expect(res.status).toBe(200); // the report is on Kafka
        },
        delivered: () =>
          cloud.requests.filter(
            (r) =>
              r.method === 'POST' && r.status === 200 && (r.body as { to: string }).to === '6281500000001',
          ),
      });
      expect(sentText(ack)).toMatch(/[2-9A-HJKMNP-TV-Z]{5}-[2-9A-HJKMNP-TV-Z]{5}/);
    } finally {
      await cloud.close();
      await db.drop();
    }
  }, 150_000); // two cold starts of a whole service process
});
