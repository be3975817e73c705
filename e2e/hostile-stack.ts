import { Client } from 'pg';
import { EventBus } from '@aduan/bus';
import type { ComplaintReceived } from '@aduan/contracts';
import {
  capturedLogger,
  collectEvents,
  createTestDatabase,
  testEnv,
  uniqueTopicPrefix,
  type TestDatabase,
} from '@aduan/testing';
import { startChannelEmail } from '../services/channel-email/src/email';
import { startDovecot, type TestMailServer } from '../services/channel-email/test/dovecot';
import { startChannelJaki } from '../services/channel-jaki/src/app';
import { startChannelOfficer } from '../services/channel-officer/src/officer';
import { startChannelOpen311 } from '../services/channel-open311/src/app';
import { startChannelWhatsapp } from '../services/channel-whatsapp/src/app';
import { fakeCloudApi, type FakeCloudApi } from '../services/channel-whatsapp/test/fake-providers';
import { startRouter } from '../services/router/src/app';
import { startStatus } from '../services/status/src/app';
import { startWeb } from '../services/web/src/app';

export const SECRETS = {
  jakiKey: 'hostile-jaki-app-key',
  open311Key: 'hostile-open311-key',
  whatsappAppSecret: 'hostile-whatsapp-app-secret',
  smsToken: 'hostile-sms-gateway-token',
  officerJwt: 'hostile-officer-secret-of-32-bytes-at-least',
};
export const ADMIN = { username: 'crm-admin', password: 'hostile-admin-password-123' };

/** Where each ingress of the city answers: the corpus' targets. */
export interface Ingresses {
  jaki: string;
  whatsapp: string;
  officer: string;
  open311: string;
  status: string;
  web: string;
  email: string;
}

export interface HostileStack {
  urls: Ingresses;
  imap: TestMailServer;
  cloud: FakeCloudApi;
  database: TestDatabase;
  /** Every complaint any adapter published, as published. */
  received: ComplaintReceived[];
  lines: string[];
  /** The bootstrapped admin's access token, from sign-in at start. */
  officerToken: string;
  /** A fresh access token of the admin (they are short-lived). */
  signIn(): Promise<string>;
  /** The source ids of what a channel quarantined (unreadable source items). */
  quarantined(channel: string): Promise<Array<string | null>>;
  /** Events on each dead-letter topic of this stack that holds any: a 202 that never became a report shows here. */
  deadLettered(): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

/**
 * Every HTTP ingress of the city and the mailbox, in one process on their own topics and
 * database, against the real broker, PostgreSQL, Dovecot and the WhatsApp Cloud API stand-in.
 */
export async function startHostileStack(): Promise<HostileStack> {
  const prefix = uniqueTopicPrefix();
  const { logger, lines } = capturedLogger('hostile');
  const [database, imap, cloud] = await Promise.all([
    createTestDatabase('e2e_hostile'),
    startDovecot(),
    fakeCloudApi(),
  ]);
  const env: NodeJS.ProcessEnv = {
    KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
    KAFKA_TOPIC_PREFIX: prefix,
    DATABASE_URL: database.url,
    STATUS_PORT: '0',
    ROUTER_PORT: '0',
    JAKI_PORT: '0',
    WHATSAPP_PORT: '0',
    OFFICER_PORT: '0',
    OPEN311_PORT: '0',
    EMAIL_PORT: '0',
    WEB_PORT: '0',
    JAKI_API_KEYS: SECRETS.jakiKey,
    // The corpus sends every JAKI case from one address within a minute.
    JAKI_REQUESTS_PER_IP_PER_MINUTE: '0',
    OPEN311_API_KEYS: `civic-app:${SECRETS.open311Key}`,
    // The corpus sends every case from one address; the per-minute lookup allowance is not its subject.
    OPEN311_LOOKUPS_PER_MINUTE: '100000',
    IMAP_URL: imap.imapUrl,
    WHATSAPP_APP_SECRET: SECRETS.whatsappAppSecret,
    WHATSAPP_VERIFY_TOKEN: 'hostile-verify',
    WHATSAPP_ACCESS_TOKEN: 'test-access-token',
    WHATSAPP_API_BASE_URL: `${cloud.url}/v21.0`,
    SMS_WEBHOOK_AUTH_TOKEN: SECRETS.smsToken,
    OFFICER_JWT_SECRET: SECRETS.officerJwt,
    OFFICER_BOOTSTRAP_ADMIN: `${ADMIN.username}:${ADMIN.password}`,
    REPORTER_DATA_KEY: Buffer.alloc(32, 11).toString('base64'),
  };
  const bus = new EventBus({
    brokers: testEnv.kafkaBrokers,
    clientId: 'e2e-hostile',
    source: '/aduan/e2e',
    logger,
    topicPrefix: prefix,
  });
  const services: Array<{ stop(): Promise<void> }> = [];
  const stop = async () => {
    for (const s of services.reverse()) await s.stop().catch(() => undefined);
    const ours = (await bus.adminClient.listTopics().catch(() => [])).filter((t) => t.startsWith(prefix));
    if (ours.length) await bus.adminClient.deleteTopics({ topics: ours }).catch(() => undefined);
    await bus.close();
    await Promise.all([imap.stop(), cloud.close()]);
    await database.drop();
  };
  const url = (s: { port: number }) => `http://127.0.0.1:${s.port}`;
  try {
    await bus.connect();
    await bus.ensureTopics(['aduan.complaint.received.v1']);
    const received = await collectEvents(bus, 'aduan.complaint.received.v1');
    const child = (service: string) => logger.child({ service });
    const status = await startStatus(env, child('status'));
    services.push(status);
    const statusUrl = url(status);
    services.push(await startRouter(env, child('router')));
    const withStatus = { ...env, STATUS_BASE_URL: statusUrl };
    const web = await startWeb(withStatus, child('web'));
    services.push(web);
    const jaki = await startChannelJaki(withStatus, child('channel-jaki'));
    services.push(jaki);
    const whatsapp = await startChannelWhatsapp(env, child('channel-whatsapp'));
    services.push(whatsapp);
    // The officer entry API verifies the status service's tokens with its published keys.
    const officer = await startChannelOfficer(
      { ...env, OFFICER_JWKS_URL: `${statusUrl}/.well-known/jwks.json` },
      child('channel-officer'),
    );
    services.push(officer);
    const open311 = await startChannelOpen311(withStatus, child('channel-open311'));
    services.push(open311);
    const email = await startChannelEmail(env, child('channel-email'));
    services.push(email);

    const signIn = async () => {
      const res = await fetch(`${statusUrl}/v1/officer/auth/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(ADMIN),
      });
      if (res.status !== 200) throw new Error(`sign-in answered ${res.status}`);
      return ((await res.json()) as { accessToken: string }).accessToken;
    };
    const officerToken = await signIn();
    return {
      urls: {
        jaki: url(jaki),
        whatsapp: url(whatsapp),
        officer: url(officer),
        open311: url(open311),
        status: statusUrl,
        web: url(web),
        email: url(email),
      },
      imap,
      cloud,
      database,
      received,
      lines,
      officerToken,
      signIn,
      async quarantined(channel) {
        const client = new Client({ connectionString: database.url });
        await client.connect();
        try {
          const { rows } = await client.query<{ source_id: string | null }>(
            'SELECT source_id FROM channel_quarantine WHERE channel = $1',
            [channel],
          );
          return rows.map((r) => r.source_id);
        } finally {
          await client.end();
        }
      },
      async deadLettered() {
        const admin = bus.adminClient;
        const dlqs = (await admin.listTopics()).filter((t) => t.startsWith(prefix) && t.endsWith('.dlq'));
        const counts: Record<string, number> = {};
        for (const topic of dlqs) {
          const offsets = await admin.fetchTopicOffsets(topic);
          const n = offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
          if (n > 0) counts[topic.slice(prefix.length)] = n;
        }
        return counts;
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
