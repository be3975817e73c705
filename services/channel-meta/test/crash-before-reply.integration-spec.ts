import { createTestDatabase, expectOneReplyAcrossKill, testEnv, uniqueTopicPrefix } from '@aduan/testing';
import { APP_SECRET, directMessage, graphStandIn, sign, tokensFor } from './graph-api-stand-in';

describe('channel-meta killed between "report accepted" and "acknowledgement sent"', () => {
  it('sends the citizen exactly one Messenger acknowledgement after the restart', async () => {
    const page = '1000000000002';
    const [db, graph] = await Promise.all([createTestDatabase('meta_crash'), graphStandIn()]);
    const raw = JSON.stringify(
      directMessage('page', page, 'psid-crash', 'm_crash1', { text: 'Banjir setinggi lutut di depan pasar' }),
    );
    try {
      const ack = await expectOneReplyAcrossKill({
        service: 'channel-meta',
        env: {
          META_PORT: '0',
          META_APP_SECRET: APP_SECRET,
          META_PAGES: tokensFor(page),
          META_GRAPH_API_BASE_URL: graph.url,
          DATABASE_URL: db.url,
          KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
          KAFKA_TOPIC_PREFIX: uniqueTopicPrefix(),
        },
        providerUp: (up) => (graph.up = up),
        deliver: async (service) => {
          const res = await fetch(service.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(raw) },
            body: raw,
          });
          expect(res.status).toBe(200); // the report is on Kafka
        },
        delivered: () => graph.sent().filter((m) => m.to === 'psid-crash'),
      });
      expect(ack.text).toMatch(/[2-9A-HJKMNP-TV-Z]{5}-[2-9A-HJKMNP-TV-Z]{5}/);
    } finally {
      await graph.pictures.close();
      await graph.close();
      await db.drop();
    }
  }, 150_000); // two cold starts of a whole service process
});
