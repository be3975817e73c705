import { createTestDatabase, expectOneReplyAcrossKill, testEnv, uniqueTopicPrefix } from '@aduan/testing';
import { citizenPost, CITY, CREDENTIALS, startXApi } from './x-api-stand-in';

describe('channel-twitter killed between "report accepted" and "reply posted"', () => {
  it('posts exactly one reply under the citizen’s post after the restart', async () => {
    const [db, api] = await Promise.all([createTestDatabase('twitter_crash'), startXApi()]);
    const post = citizenPost('Banjir setinggi lutut di depan Pasar Kampung Melayu @DKIJakarta');
    try {
      const reply = await expectOneReplyAcrossKill({
        service: 'channel-twitter',
        env: {
          ...CREDENTIALS,
          TWITTER_PORT: '0',
          TWITTER_ACCOUNT_ID: CITY.id,
          TWITTER_API_BASE_URL: api.url,
          TWITTER_POLL_INTERVAL_SECONDS: '1',
          TWITTER_DIRECT_MESSAGES: 'false',
          DATABASE_URL: db.url,
          KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
          KAFKA_TOPIC_PREFIX: uniqueTopicPrefix(),
        },
        providerUp: (up) => (api.up = up),
        deliver: async () => api.mention(post),
        delivered: () => api.replies.filter((r) => r.inReplyTo === post.post.id),
      });
      expect(reply.text).toMatch(/[2-9A-HJKMNP-TV-Z]{5}-[2-9A-HJKMNP-TV-Z]{5}/);
    } finally {
      await api.close();
      await db.drop();
    }
  }, 150_000); // two cold starts of a whole service process
});
