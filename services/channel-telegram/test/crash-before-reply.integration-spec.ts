import { createTestDatabase, expectOneReplyAcrossKill, testEnv, uniqueTopicPrefix } from '@aduan/testing';
import { botApi, SECRET, TOKEN, textUpdate } from './bot-api-stand-in';

describe('channel-telegram killed between "report accepted" and "acknowledgement sent"', () => {
  it('sends the citizen exactly one acknowledgement after the restart', async () => {
    const [db, api] = await Promise.all([createTestDatabase('telegram_crash'), botApi()]);
    const update = textUpdate('crash1', 'Banjir setinggi lutut di depan pasar, mohon pompa air');
    try {
      const ack = await expectOneReplyAcrossKill({
        service: 'channel-telegram',
        env: {
          TELEGRAM_PORT: '0',
          TELEGRAM_BOT_TOKEN: TOKEN,
          TELEGRAM_WEBHOOK_SECRET: SECRET,
          TELEGRAM_API_BASE_URL: api.url,
          DATABASE_URL: db.url,
          KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
          KAFKA_TOPIC_PREFIX: uniqueTopicPrefix(),
        },
        providerUp: (up) => (api.up = up),
        deliver: async (service) => {
          const res = await fetch(service.url, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', 'X-Telegram-Bot-Api-Secret-Token': SECRET },
            body: JSON.stringify(update),
          });
          expect(res.status).toBe(200); // the report is on Kafka
        },
        delivered: () => api.sent().filter((m) => m.to === String(update.message.chat.id)),
      });
      expect(ack.text).toMatch(/[2-9A-HJKMNP-TV-Z]{5}-[2-9A-HJKMNP-TV-Z]{5}/);
    } finally {
      await api.close();
      await db.drop();
    }
  }, 150_000); // two cold starts of a whole service process
});
