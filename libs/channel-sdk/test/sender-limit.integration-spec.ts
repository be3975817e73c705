import { defineConfig } from '@aduan/platform';
import {
  capturedLogger,
  createTestDatabase,
  testEnv,
  uniqueTopicPrefix,
  type TestDatabase,
} from '@aduan/testing';
import { defineChannel, runChannel, verifiers, type RunningChannel } from '../src';

type Message = { id: string; from: string; text: string };

/** A chat channel in a few lines: every webhook item goes through the conversation rules. */
const chat = defineChannel({
  service: 'channel-chat',
  channels: ['chat'],
  settings: defineConfig({ CHAT_PORT: { kind: 'int', description: 'port', default: '0' } }),
  port: 'CHAT_PORT',
  setup: (ctx) => {
    const rules = ctx.conversationRules({ windowMs: 0 });
    return {
      webhooks: [
        {
          name: 'chat',
          verify: verifiers.secretHeader('x-secret', 'shared-secret'),
          parse: (req) => JSON.parse(req.raw.toString('utf8')) as Message[],
          idOf: (m: Message) => m.id,
          handle: async (m: Message) => {
            await rules.handle({
              channel: 'chat',
              sourceId: m.id,
              from: m.from,
              reporter: { phone: m.from, anonymous: false },
              replyTo: { address: m.from },
              text: m.text,
              receivedAt: new Date(),
            });
          },
        },
      ],
    };
  },
});

describe('messages per sender, shared by two instances of an adapter', () => {
  let db: TestDatabase;
  let a: RunningChannel;
  let b: RunningChannel;

  beforeAll(async () => {
    db = await createTestDatabase('sdk_sender_limit');
    const env = {
      DATABASE_URL: db.url,
      KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: uniqueTopicPrefix(),
      CHANNEL_SENDER_MESSAGES_PER_HOUR: '2',
    };
    a = await runChannel(chat, env, capturedLogger('channel-chat').logger);
    b = await runChannel(chat, env, capturedLogger('channel-chat').logger);
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await db?.drop();
  });

  const post = async (on: RunningChannel, m: Message) => {
    const res = await fetch(`http://127.0.0.1:${on.port}/webhooks/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-secret': 'shared-secret' },
      body: JSON.stringify([m]),
    });
    return { status: res.status, body: await res.json() };
  };

  it('answers the provider 200 and quarantines what one sender sends over the limit', async () => {
    const flood = '+6281200000001';
    expect(await post(a, { id: 'm1', from: flood, text: 'Jalan rusak di RT 01' })).toEqual({
      status: 200,
      body: { accepted: 1, quarantined: 0 },
    });
    expect((await post(b, { id: 'm2', from: flood, text: 'Jalan rusak di RT 02' })).body).toEqual({
      accepted: 1,
      quarantined: 0,
    });
    expect(await post(a, { id: 'm3', from: flood, text: 'Jalan rusak di RT 03' })).toEqual({
      status: 200,
      body: { accepted: 0, quarantined: 1 },
    });
    const [kept] = await a.context.quarantine.list('chat');
    expect(kept).toMatchObject({ sourceId: 'm3', reason: expect.stringMatching(/^SENDER_RATE_LIMITED: /) });
    expect(kept!.excerpt).toContain('Jalan rusak di RT 03');

    // Someone else is not held up by the flood.
    expect((await post(b, { id: 'm4', from: '+6281200000002', text: 'Lampu mati' })).body).toEqual({
      accepted: 1,
      quarantined: 0,
    });
  });
});
