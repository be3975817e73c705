import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hubSignature256, twilioSignature, type RunningChannel } from '@aduan/channel-sdk';
import {
  capturedLogger,
  createTestDatabase,
  describeChannelConformance,
  testEnv,
  uniqueTopicPrefix,
  type ConformanceHarness,
} from '@aduan/testing';
import { startChannelWhatsapp } from '../src/app';
import { fakeCloudApi, fakeSmsGateway, sentText, type FakeServer } from './fake-providers';

const SECRET = 'test_app_secret';
const SMS_TOKEN = 'test-sms-auth-token';
const fixture = readFileSync(join(__dirname, 'fixtures', 'whatsapp-text.json'), 'utf8');

/** A citizen's number per test message, so each acknowledgement can be told apart. */
const numberOf = (id: string) => `628${String(Number.parseInt(id, 36) % 1e9).padStart(9, '0')}`;

/** The text fixture as Meta would post it for this message: its own id, sender, text and time. */
function textWebhook(id: string, text: string): Buffer {
  return Buffer.from(
    fixture
      .replaceAll('wamid.xyzxyz', `wamid.${id}`)
      .replaceAll('972987654321', numberOf(id))
      .replace('Body Text', text)
      .replace(/"timestamp": "\d+"/, `"timestamp": "${Math.floor(Date.now() / 1000)}"`),
  );
}

async function start(label: string, extra: NodeJS.ProcessEnv) {
  const [db, cloud, gateway] = await Promise.all([
    createTestDatabase(label),
    fakeCloudApi(),
    fakeSmsGateway(),
  ]);
  const env: NodeJS.ProcessEnv = {
    WHATSAPP_PORT: '0',
    WHATSAPP_APP_SECRET: SECRET,
    WHATSAPP_ACCESS_TOKEN: 'test-access-token',
    WHATSAPP_API_BASE_URL: `${cloud.url}/v21.0`,
    SMS_WEBHOOK_AUTH_TOKEN: SMS_TOKEN,
    SMS_GATEWAY_URL: `${gateway.url}/v1/messages`,
    SMS_GATEWAY_TOKEN: 'test-sms-gateway-token',
    DATABASE_URL: db.url,
    KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
    KAFKA_TOPIC_PREFIX: uniqueTopicPrefix(),
    ...extra,
  };
  const { logger } = capturedLogger('channel-whatsapp');
  return {
    cloud,
    gateway,
    start: () => startChannelWhatsapp(env, logger),
    close: async () => {
      await Promise.all([cloud.close(), gateway.close()]);
      await db.drop();
    },
  };
}

async function whatsappHarness(): Promise<ConformanceHarness<RunningChannel>> {
  const stack = await start('whatsapp_conformance', {});
  const post = async (running: RunningChannel, body: Buffer, secret = SECRET) =>
    (
      await fetch(`http://127.0.0.1:${running.port}/webhooks/whatsapp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': hubSignature256(body, secret) },
        body,
      })
    ).status;
  const cloud: FakeServer = stack.cloud;
  return {
    channel: 'whatsapp',
    start: stack.start,
    deliver: (running, id, text) => post(running, textWebhook(id, text)),
    deliverForged: (running, id) => post(running, textWebhook(id, `Palsu ${id}`), 'not-the-secret'),
    // A place off the globe breaks the event contract: it can never be taken in.
    deliverUnreadable: (running, id) => {
      const body = textWebhook(id, `Lokasi ${id}`)
        .toString('utf8')
        .replace('"type": "text"', '"type": "location", "location": {"latitude": 912, "longitude": 106.8}');
      return post(running, Buffer.from(body));
    },
    sent: () =>
      cloud.requests
        .filter((r) => r.method === 'POST' && r.status === 200)
        .map((r) => ({ to: (r.body as { to: string }).to, text: sentText(r) })),
    addressOf: numberOf,
    providerUp: (up) => {
      cloud.up = up;
    },
    close: stack.close,
  };
}

async function smsHarness(): Promise<ConformanceHarness<RunningChannel>> {
  const stack = await start('sms_conformance', {});
  const form = (id: string, text: string, from = `+${numberOf(id)}`) => ({
    MessageSid: `SM${id}`,
    From: from,
    To: '+6221500001',
    Body: text,
    NumMedia: '0',
  });
  const post = async (running: RunningChannel, fields: Record<string, string>, token = SMS_TOKEN) => {
    const url = `http://127.0.0.1:${running.port}/webhooks/sms`;
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilioSignature(url, fields, token),
      },
      body: new URLSearchParams(fields).toString(),
    });
    return res.status;
  };
  const { gateway } = stack;
  return {
    channel: 'sms',
    start: stack.start,
    deliver: (running, id, text) => post(running, form(id, text)),
    deliverForged: (running, id) => post(running, form(id, `Palsu ${id}`), 'not-the-token'),
    // Signed by the gateway, but from no phone number: it can never be answered or taken in.
    deliverUnreadable: (running, id) => post(running, form(id, `Nomor ${id}`, `pengirim-${id}`)),
    // One SMS may go out in several parts; the first part stands for the message.
    sent: () =>
      gateway.requests
        .filter((r) => r.status === 202)
        .map((r) => r.body as { to: string; text: string; reference: string })
        .filter((b) => b.reference.includes('#1/'))
        .map((b) => ({ to: b.to, text: b.text })),
    addressOf: (id) => `+${numberOf(id)}`,
    providerUp: (up) => {
      gateway.up = up;
    },
    close: stack.close,
  };
}

describe('channel-whatsapp: Cloud API webhook on the channel kit', () => {
  describeChannelConformance(whatsappHarness);
});

describe('channel-whatsapp: SMS gateway webhook on the channel kit', () => {
  describeChannelConformance(smsHarness);
});
