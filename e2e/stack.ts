import { EventBus } from '@aduan/bus';
import { twilioSignature } from '@aduan/channel-sdk';
import {
  capturedLogger,
  createTestDatabase,
  testEnv,
  uniqueTopicPrefix,
  type TestDatabase,
} from '@aduan/testing';
import { startChannelJaki } from '../services/channel-jaki/src/app';
import { startChannelWhatsapp } from '../services/channel-whatsapp/src/app';
import { startRouter } from '../services/router/src/app';
import { startStatus } from '../services/status/src/app';

export const API_KEY = 'e2e-app-key';
export const OFFICER_SECRET = 'e2e-officer-secret-of-32-bytes-at-least';
export const SMS_TOKEN = 'e2e-sms-gateway-auth-token';
export const ADMIN = { username: 'crm-admin', password: 'e2e-admin-password-123' };

/**
 * The intake path as it runs in production, in one process: channel-jaki, router and status
 * on their own topic namespace and database, against the real broker and PostgreSQL.
 */
export async function startStack(label: string, overrides: Record<string, string> = {}) {
  const database: TestDatabase = await createTestDatabase(label);
  const prefix = uniqueTopicPrefix();
  const { logger, lines } = capturedLogger('e2e');
  const env = {
    KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
    KAFKA_TOPIC_PREFIX: prefix,
    DATABASE_URL: database.url,
    JAKI_PORT: '0',
    ROUTER_PORT: '0',
    STATUS_PORT: '0',
    WHATSAPP_PORT: '0',
    JAKI_API_KEYS: API_KEY,
    SMS_WEBHOOK_AUTH_TOKEN: SMS_TOKEN,
    OFFICER_JWT_SECRET: OFFICER_SECRET,
    OFFICER_BOOTSTRAP_ADMIN: `${ADMIN.username}:${ADMIN.password}`,
    REPORTER_DATA_KEY: Buffer.alloc(32, 7).toString('base64'),
    ...overrides,
  };
  const status = await startStatus(env, logger.child({ service: 'status' }));
  const router = await startRouter(env, logger.child({ service: 'router' }));
  const jaki = await startChannelJaki(env, logger.child({ service: 'channel-jaki' }));
  const whatsapp = await startChannelWhatsapp(env, logger.child({ service: 'channel-whatsapp' }));
  const bus = new EventBus({
    brokers: testEnv.kafkaBrokers,
    clientId: 'e2e',
    source: '/aduan/e2e',
    logger,
    topicPrefix: prefix,
  });
  await bus.connect();

  return {
    bus,
    lines,
    /** The settings the stack's services share (broker, topics, database, officer secret): another adapter joins with them. */
    env,
    jakiUrl: `http://127.0.0.1:${jaki.port}`,
    whatsappUrl: `http://127.0.0.1:${whatsapp.port}`,
    routerUrl: `http://127.0.0.1:${router.port}`,
    statusUrl: `http://127.0.0.1:${status.port}`,
    async stop() {
      await jaki.stop();
      await whatsapp.stop();
      await router.stop();
      await status.stop();
      const admin = bus.adminClient;
      const ours = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
      if (ours.length) await admin.deleteTopics({ topics: ours }).catch(() => undefined);
      await bus.close();
      await database.drop();
    },
  };
}

export async function submitJaki(
  jakiUrl: string,
  body: object,
): Promise<{ reportId: string; trackingCode: string }> {
  const res = await fetch(`${jakiUrl}/v1/reports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
    body: JSON.stringify(body),
  });
  if (res.status !== 202) throw new Error(`JAKI answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as { reportId: string; trackingCode: string };
}

export async function publicReport(
  statusUrl: string,
  code: string,
): Promise<Record<string, unknown> & { state: string }> {
  const res = await fetch(`${statusUrl}/v1/public/reports/${code}`);
  if (res.status !== 200) throw new Error(`status answered ${res.status}`);
  return (await res.json()) as Record<string, unknown> & { state: string };
}

/** An SMS as the gateway delivers it to channel-whatsapp's webhook, signed with `token`; the HTTP status. */
export async function sendSms(
  whatsappUrl: string,
  token: string,
  sms: { sid: string; from: string; body: string },
): Promise<number> {
  const url = `${whatsappUrl}/webhooks/sms`;
  const fields = {
    MessageSid: sms.sid,
    SmsSid: sms.sid,
    AccountSid: 'AC00000000000000000000000000000000',
    From: sms.from,
    To: '+6221500001',
    Body: sms.body,
    NumMedia: '0',
  };
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': twilioSignature(url, fields, token),
    },
    body: new URLSearchParams(fields).toString(),
  });
  return res.status;
}
