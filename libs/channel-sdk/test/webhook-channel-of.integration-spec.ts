import { PermanentError } from '@aduan/bus';
import { defineConfig } from '@aduan/platform';
import {
  capturedLogger,
  createTestDatabase,
  testEnv,
  uniqueTopicPrefix,
  type TestDatabase,
} from '@aduan/testing';
import { defineChannel, runChannel, verifiers, type RunningChannel } from '../src';

type Item = { channel: 'alpha' | 'beta'; id: string };

/** One webhook carrying two channels' items (as Meta's carries Page posts, Messenger and Instagram). */
const twoChannels = defineChannel({
  service: 'channel-two',
  channels: ['alpha', 'beta'],
  settings: defineConfig({ TWO_PORT: { kind: 'int', description: 'port', default: '0' } }),
  port: 'TWO_PORT',
  setup: () => ({
    webhooks: [
      {
        name: 'two',
        verify: verifiers.secretHeader('x-secret', 'shared-secret'),
        parse: (req) => JSON.parse(req.raw.toString('utf8')) as Item[],
        idOf: (item: Item) => item.id,
        channelOf: (item: Item) => item.channel,
        handle: async (item: Item) => {
          throw new PermanentError('UNREADABLE', `item ${item.id} can never be read`);
        },
      },
    ],
  }),
});

describe('a webhook of several channels', () => {
  let db: TestDatabase;
  let running: RunningChannel;
  beforeAll(async () => {
    db = await createTestDatabase('sdk_channel_of');
    running = await runChannel(
      twoChannels,
      {
        DATABASE_URL: db.url,
        KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
        KAFKA_TOPIC_PREFIX: uniqueTopicPrefix(),
      },
      capturedLogger('channel-two').logger,
    );
  });
  afterAll(async () => {
    await running?.stop();
    await db?.drop();
  });

  it("quarantines each unreadable item under its own channel, where that channel's operators look", async () => {
    const res = await fetch(`http://127.0.0.1:${running.port}/webhooks/two`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-secret': 'shared-secret' },
      body: JSON.stringify([
        { channel: 'alpha', id: 'a-1' },
        { channel: 'beta', id: 'b-1' },
      ]),
    });
    expect(await res.json()).toEqual({ accepted: 0, quarantined: 2 });
    const { quarantine } = running.context;
    expect((await quarantine.list('alpha')).map((q) => q.sourceId)).toEqual(['a-1']);
    expect((await quarantine.list('beta')).map((q) => q.sourceId)).toEqual(['b-1']);
  });
});
