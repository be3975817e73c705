import {
  createTestDatabase,
  eventually,
  startServiceProcess,
  testEnv,
  uniqueTopicPrefix,
  type ServiceProcess,
  type TestDatabase,
} from '@aduan/testing';
import { botApi, SECRET, TOKEN, textUpdate, type BotApi } from './bot-api-stand-in';

describe('channel-telegram killed between "report accepted" and "acknowledgement sent"', () => {
  let db: TestDatabase;
  let api: BotApi;
  let service: ServiceProcess | undefined;

  beforeAll(async () => {
    [db, api] = await Promise.all([createTestDatabase('telegram_crash'), botApi()]);
  });
  afterAll(async () => {
    await service?.stop();
    await api.close();
    await db.drop();
  });

  it('sends the citizen exactly one acknowledgement after the restart', async () => {
    const env = {
      TELEGRAM_PORT: '0',
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_API_BASE_URL: api.url,
      DATABASE_URL: db.url,
      KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: uniqueTopicPrefix(),
    };
    service = await startServiceProcess('channel-telegram', env);
    api.up = false; // Telegram is unreachable: the acknowledgement cannot go out yet.
    const update = textUpdate('crash1', 'Banjir setinggi lutut di depan pasar, mohon pompa air');
    const res = await fetch(service.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Telegram-Bot-Api-Secret-Token': SECRET },
      body: JSON.stringify(update),
    });
    expect(res.status).toBe(200); // the report is on Kafka
    await eventually(() => expect(api.refused()).toBeGreaterThan(0)); // a send was tried and failed

    await service.kill();
    service = undefined;
    api.up = true;
    service = await startServiceProcess('channel-telegram', env);

    const toCitizen = () => api.sent().filter((m) => m.to === String(update.message.chat.id));
    await eventually(() => expect(toCitizen()).toHaveLength(1), { timeoutMs: 30_000 });
    expect(toCitizen()[0]!.text).toMatch(/[2-9A-HJKMNP-TV-Z]{5}-[2-9A-HJKMNP-TV-Z]{5}/);
    // Nothing more follows: the acknowledgement was sent once.
    await new Promise((r) => setTimeout(r, 2000));
    expect(toCitizen()).toHaveLength(1);
  }, 120_000); // two cold starts of a whole service process
});
