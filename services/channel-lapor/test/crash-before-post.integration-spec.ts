import { createTestDatabase, expectOneReplyAcrossKill, testEnv, uniqueTopicPrefix } from '@aduan/testing';
import { laporReport, startLaporStandIn, TOKEN } from './lapor-stand-in';

describe('channel-lapor killed between "report taken in" and "acknowledgement posted to LAPOR!"', () => {
  it('posts exactly one acknowledgement on the LAPOR! report after the restart', async () => {
    const [db, api] = await Promise.all([createTestDatabase('lapor_crash'), startLaporStandIn()]);
    try {
      const ack = await expectOneReplyAcrossKill({
        service: 'channel-lapor',
        env: {
          LAPOR_PORT: '0',
          LAPOR_API_BASE_URL: api.url,
          LAPOR_API_TOKEN: TOKEN,
          LAPOR_POLL_INTERVAL_SECONDS: '1',
          DATABASE_URL: db.url,
          KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
          KAFKA_TOPIC_PREFIX: uniqueTopicPrefix(),
        },
        providerUp: (up) => (api.up = up),
        deliver: async () =>
          void api.dispose(
            laporReport('LPR-CRASH-1', 'Banjir setinggi lutut di depan pasar, mohon pompa air'),
          ),
        delivered: () => api.posted.filter((p) => p.laporId === 'LPR-CRASH-1'),
      });
      expect(ack.kind).toBe('tindak-lanjut');
      expect(String(ack.body['isi'])).toMatch(/[2-9A-HJKMNP-TV-Z]{5}-[2-9A-HJKMNP-TV-Z]{5}/);
    } finally {
      await api.close();
      await db.drop();
    }
  }, 150_000); // two cold starts of a whole service process
});
