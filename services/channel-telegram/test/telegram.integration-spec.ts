import { runChannel, type RunningChannel } from '@aduan/channel-sdk';
import {
  capturedLogger,
  createTestDatabase,
  describeChannelConformance,
  testEnv,
  uniqueTopicPrefix,
  type ConformanceHarness,
} from '@aduan/testing';
import { telegram } from '../src/telegram';
import { botApi, chatOf, postUpdate, SECRET, TOKEN, textUpdate } from './bot-api-stand-in';

function post(running: RunningChannel, body: unknown, secret = SECRET): Promise<number> {
  return postUpdate(running.port, body, secret);
}

async function harness(): Promise<ConformanceHarness<RunningChannel>> {
  const [db, api] = await Promise.all([createTestDatabase('telegram'), botApi()]);
  const { logger } = capturedLogger('channel-telegram');
  const env: NodeJS.ProcessEnv = {
    TELEGRAM_PORT: '0',
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    TELEGRAM_API_BASE_URL: api.url,
    DATABASE_URL: db.url,
    KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
    KAFKA_TOPIC_PREFIX: uniqueTopicPrefix(),
  };
  return {
    channel: 'telegram',
    start: () => runChannel(telegram, env, logger),
    deliver: (running, id, text) => post(running, textUpdate(id, text)),
    deliverForged: (running, id) => post(running, textUpdate(id, `Palsu ${id}`), 'not-the-secret'),
    // A location outside the globe breaks the event contract: it can never be taken in.
    deliverUnreadable: (running, id) => {
      const update = textUpdate(id, `Lokasi ${id}`);
      return post(running, {
        ...update,
        message: { ...update.message, location: { latitude: 912, longitude: 106.8 } },
      });
    },
    sent: () => api.sent(),
    addressOf: (id) => String(chatOf(id)),
    providerUp: (up) => {
      api.up = up;
    },
    close: async () => {
      await api.close();
      await db.drop();
    },
  };
}

describe('channel-telegram: Bot API webhook on the channel kit', () => {
  describeChannelConformance(harness);
});
