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
import { startChannelWhatsapp } from '../services/channel-whatsapp/src/app';
import { fakeCloudApi, type FakeCloudApi } from '../services/channel-whatsapp/test/fake-providers';
import { startStatus } from '../services/status/src/app';
import { startWeb } from '../services/web/src/app';

export const WHATSAPP_SECRET = 'e2e-whatsapp-app-secret';
export const ADMIN = { username: 'crm-admin', password: 'e2e-admin-password-123' };

export interface ChannelStack {
  /** The city's mailbox (a real Dovecot) channel-email reads. */
  imap: TestMailServer;
  /** The WhatsApp Cloud API stand-in channel-whatsapp sends through and downloads media from. */
  cloud: FakeCloudApi;
  /** Every complaint the adapters published, as they published it. */
  received: ComplaintReceived[];
  statusUrl: string;
  whatsappUrl: string;
  /** The tracking site and officer console, when asked for. */
  webUrl: string | null;
  lines: string[];
  /** An access token of the bootstrapped CRM admin. */
  officerToken(): Promise<string>;
  stop(): Promise<void>;
}

/**
 * The e-mail and WhatsApp adapters, the status service (and the web, if asked) in one process,
 * on a topic namespace and a database of their own, with a real mailbox and the Cloud API
 * stand-in: what a citizen writes reaches the public page and the officer console.
 */
export async function startChannelStack(label: string, opts: { web?: boolean } = {}): Promise<ChannelStack> {
  const prefix = uniqueTopicPrefix();
  const { logger, lines } = capturedLogger('e2e');
  const [database, imap, cloud]: [TestDatabase, TestMailServer, FakeCloudApi] = await Promise.all([
    createTestDatabase(label),
    startDovecot(),
    fakeCloudApi(),
  ]);
  const env = {
    KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
    KAFKA_TOPIC_PREFIX: prefix,
    DATABASE_URL: database.url,
    STATUS_PORT: '0',
    EMAIL_PORT: '0',
    WHATSAPP_PORT: '0',
    WEB_PORT: '0',
    IMAP_URL: imap.imapUrl,
    WHATSAPP_APP_SECRET: WHATSAPP_SECRET,
    WHATSAPP_VERIFY_TOKEN: 'e2e-verify',
    WHATSAPP_ACCESS_TOKEN: 'test-access-token',
    WHATSAPP_API_BASE_URL: `${cloud.url}/v21.0`,
    OFFICER_JWT_SECRET: 'e2e-officer-secret-of-32-bytes-at-least',
    OFFICER_BOOTSTRAP_ADMIN: `${ADMIN.username}:${ADMIN.password}`,
    REPORTER_DATA_KEY: Buffer.alloc(32, 9).toString('base64'),
  };
  const bus = new EventBus({
    brokers: testEnv.kafkaBrokers,
    clientId: `e2e-${label}`,
    source: '/aduan/e2e',
    logger,
    topicPrefix: prefix,
  });
  const services: Array<{ stop(): Promise<void> }> = [];
  const stop = async () => {
    for (const s of services.reverse()) await s.stop();
    const ours = (await bus.adminClient.listTopics().catch(() => [])).filter((t) => t.startsWith(prefix));
    if (ours.length) await bus.adminClient.deleteTopics({ topics: ours }).catch(() => undefined);
    await bus.close();
    await Promise.all([imap.stop(), cloud.close()]);
    await database.drop();
  };
  try {
    await bus.connect();
    await bus.ensureTopics(['aduan.complaint.received.v1']);
    const received = await collectEvents(bus, 'aduan.complaint.received.v1');
    const status = await startStatus(env, logger.child({ service: 'status' }));
    services.push(status);
    const statusUrl = `http://127.0.0.1:${status.port}`;
    let webUrl: string | null = null;
    if (opts.web) {
      const web = await startWeb({ ...env, STATUS_BASE_URL: statusUrl }, logger.child({ service: 'web' }));
      services.push(web);
      webUrl = `http://127.0.0.1:${web.port}`;
    }
    services.push(await startChannelEmail(env, logger.child({ service: 'channel-email' })));
    const whatsapp = await startChannelWhatsapp(env, logger.child({ service: 'channel-whatsapp' }));
    services.push(whatsapp);
    return {
      imap,
      cloud,
      received,
      statusUrl,
      whatsappUrl: `http://127.0.0.1:${whatsapp.port}`,
      webUrl,
      lines,
      async officerToken() {
        const res = await fetch(`${statusUrl}/v1/officer/auth/sign-in`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(ADMIN),
        });
        return ((await res.json()) as { accessToken: string }).accessToken;
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
