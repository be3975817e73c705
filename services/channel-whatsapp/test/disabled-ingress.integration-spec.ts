import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hubSignature256, type RunningChannel } from '@aduan/channel-sdk';
import {
  capturedLogger,
  createTestDatabase,
  testEnv,
  uniqueTopicPrefix,
  type TestDatabase,
} from '@aduan/testing';
import { startChannelWhatsapp } from '../src/app';

describe('channel-whatsapp with its secrets unset', () => {
  const { logger, lines } = capturedLogger('channel-whatsapp');
  let db: TestDatabase;
  let service: RunningChannel;
  let base: string;

  beforeAll(async () => {
    db = await createTestDatabase('whatsapp_disabled');
    service = await startChannelWhatsapp(
      {
        WHATSAPP_PORT: '0',
        DATABASE_URL: db.url,
        KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
        KAFKA_TOPIC_PREFIX: uniqueTopicPrefix(),
      },
      logger,
    );
    base = `http://127.0.0.1:${service.port}`;
  });

  afterAll(async () => {
    await service?.stop();
    await db?.drop();
  });

  it('says at start-up which ingress is off and why', () => {
    const warnings = lines
      .map((l) => JSON.parse(l) as { level: string; msg: string })
      .filter((l) => l.level === 'warn')
      .map((l) => l.msg);
    expect(warnings).toEqual(
      expect.arrayContaining([
        'WHATSAPP_APP_SECRET is not set: WhatsApp Cloud API intake (POST /webhooks/whatsapp answers 503) is off',
        'WHATSAPP_VERIFY_TOKEN is not set: the webhook handshake is off',
        'WHATSAPP_ACCESS_TOKEN is not set: answering on WhatsApp and keeping WhatsApp photos is off',
        'SMS_WEBHOOK_AUTH_TOKEN is not set: SMS intake (POST /webhooks/sms answers 503) is off',
        'SMS_GATEWAY_URL is not set: no SMS is sent',
      ]),
    );
  });

  it('refuses every delivery, signed or not, with 503 naming the variable, and stays ready', async () => {
    const body = readFileSync(join(__dirname, 'fixtures', 'whatsapp-text.json'));
    for (const signature of [undefined, hubSignature256(body, ''), hubSignature256(body, 'anything')]) {
      const res = await fetch(`${base}/webhooks/whatsapp`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(signature ? { 'x-hub-signature-256': signature } : {}),
        },
        body,
      });
      expect(res.status).toBe(503);
      expect(((await res.json()) as { message: string }).message).toMatch(/WHATSAPP_APP_SECRET is not set/);
    }
    const handshake = await fetch(
      `${base}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=&hub.challenge=1`,
    );
    expect(handshake.status).toBe(503);
    expect(((await handshake.json()) as { message: string }).message).toMatch(
      /WHATSAPP_VERIFY_TOKEN is not set/,
    );
    const sms = await fetch(`${base}/webhooks/sms`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'From=%2B6281&Body=x&MessageSid=SM1',
    });
    expect(sms.status).toBe(503);
    expect(((await sms.json()) as { message: string }).message).toMatch(/SMS_WEBHOOK_AUTH_TOKEN is not set/);
    expect((await fetch(`${base}/health/ready`)).status).toBe(200);
  });
});
