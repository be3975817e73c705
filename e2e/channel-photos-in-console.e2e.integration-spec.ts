import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EventBus } from '@aduan/bus';
import { hubSignature256 } from '@aduan/channel-sdk';
import type { ComplaintReceived } from '@aduan/contracts';
import {
  capturedLogger,
  collectEvents,
  createTestDatabase,
  eventually,
  testEnv,
  uniqueTopicPrefix,
  type TestDatabase,
} from '@aduan/testing';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { startChannelEmail } from '../services/channel-email/src/email';
import { startDovecot, type TestMailServer } from '../services/channel-email/test/dovecot';
import { startChannelWhatsapp } from '../services/channel-whatsapp/src/app';
import { fakeCloudApi, type FakeCloudApi } from '../services/channel-whatsapp/test/fake-providers';
import { startStatus } from '../services/status/src/app';
import { startWeb } from '../services/web/src/app';
import { launchChromium } from '../services/web/test/support/browser';

const WHATSAPP_SECRET = 'e2e-photos-app-secret';
const ADMIN = { username: 'crm-admin', password: 'e2e-admin-password-123' };

/** A mail with a photo attached, as a phone's mail app sends it. */
function mailWithPhoto(messageId: string, jpeg: Buffer): string {
  return [
    'From: "Rina" <rina@warga.example>',
    'To: Aduan Jakarta <pengaduan@aduan.test>',
    'Subject: Trotoar amblas di Jl. Kramat Raya',
    `Message-ID: ${messageId}`,
    'Date: Tue, 06 Jan 2026 08:15:00 +0700',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Trotoar amblas sekitar satu meter, berbahaya untuk pejalan kaki. Foto terlampir.',
    '--b1',
    'Content-Type: image/jpeg; name="trotoar.jpg"',
    'Content-Disposition: attachment; filename="trotoar.jpg"',
    'Content-Transfer-Encoding: base64',
    '',
    jpeg.toString('base64'),
    '--b1--',
    '',
  ].join('\r\n');
}

describe("the officer console shows e-mail and WhatsApp photos inline, from the channels' media store", () => {
  const prefix = uniqueTopicPrefix();
  const { logger } = capturedLogger('e2e');
  let database: TestDatabase;
  let imap: TestMailServer;
  let cloud: FakeCloudApi;
  let browser: Browser;
  let page: Page;
  let bus: EventBus;
  let received: ComplaintReceived[];
  const services: Array<{ stop(): Promise<void> }> = [];
  let webUrl = '';
  let whatsappUrl = '';

  beforeAll(async () => {
    [database, imap, cloud, browser] = await Promise.all([
      createTestDatabase('e2e_photos'),
      startDovecot(),
      fakeCloudApi(),
      launchChromium(),
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
      REPORTER_DATA_KEY: Buffer.alloc(32, 5).toString('base64'),
    };
    bus = new EventBus({
      brokers: testEnv.kafkaBrokers,
      clientId: 'e2e-photos',
      source: '/e2e',
      logger,
      topicPrefix: prefix,
    });
    await bus.connect();
    await bus.ensureTopics(['aduan.complaint.received.v1']);
    received = await collectEvents(bus, 'aduan.complaint.received.v1');
    const status = await startStatus(env, logger.child({ service: 'status' }));
    services.push(status);
    const web = await startWeb(
      { ...env, STATUS_BASE_URL: `http://127.0.0.1:${status.port}` },
      logger.child({ service: 'web' }),
    );
    services.push(web);
    const email = await startChannelEmail(env, logger.child({ service: 'channel-email' }));
    services.push(email);
    const whatsapp = await startChannelWhatsapp(env, logger.child({ service: 'channel-whatsapp' }));
    services.push(whatsapp);
    webUrl = `http://127.0.0.1:${web.port}`;
    whatsappUrl = `http://127.0.0.1:${whatsapp.port}`;
    page = await browser.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    for (const s of services.reverse()) await s.stop();
    const ours = ((await bus?.adminClient.listTopics()) ?? []).filter((t) => t.startsWith(prefix));
    if (ours.length) await bus.adminClient.deleteTopics({ topics: ours }).catch(() => undefined);
    await bus?.close();
    await Promise.all([imap?.stop(), cloud?.close()]);
    await database?.drop();
  });

  async function reportIdOf(sourceId: string): Promise<string> {
    return eventually(
      () => {
        const event = received.find((e) => e.source.id === sourceId);
        expect(event?.attachments).toHaveLength(1);
        return event!.reportId;
      },
      { timeoutMs: 30_000 },
    );
  }

  /** Opens the report in the console and waits until its photo is drawn, not just linked. */
  async function photoShown(reportId: string): Promise<{ width: number; height: number }> {
    await page.goto(`${webUrl}/console/#/reports/${reportId}`);
    const photo = page.locator('.photo img').first();
    return eventually(
      async () => {
        const size = await photo.evaluate(
          (img: { naturalWidth: number; naturalHeight: number; src: string }) => ({
            width: img.naturalWidth,
            height: img.naturalHeight,
            src: img.src,
          }),
        );
        expect(size.src).toMatch(/^blob:/);
        expect(size.width).toBeGreaterThan(0);
        return size;
      },
      { timeoutMs: 20_000 },
    );
  }

  it('draws the photo of an e-mail and of a WhatsApp message in the report detail', async () => {
    // E-mail: a photo attached to a mail in the city's mailbox.
    const jpeg = await sharp({ create: { width: 48, height: 36, channels: 3, background: '#a04000' } })
      .jpeg()
      .toBuffer();
    const mailId = `<photo-${Date.now()}@warga.example>`;
    await imap.append(mailWithPhoto(mailId, jpeg));
    const mailReport = await reportIdOf(mailId);

    // WhatsApp: an image message; the adapter downloads it from Meta with its token.
    const wamid = `wamid.photo${Date.now()}`;
    const body = Buffer.from(
      readFileSync(join(__dirname, '../services/channel-whatsapp/test/fixtures/whatsapp-image.json'), 'utf8')
        .replaceAll('wamid.xyzxyz', wamid)
        .replaceAll('972987654321', '6281298765432'),
    );
    const res = await fetch(`${whatsappUrl}/webhooks/whatsapp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hub-signature-256': hubSignature256(body, WHATSAPP_SECRET),
      },
      body,
    });
    expect(res.status).toBe(200);
    const whatsappReport = await reportIdOf(wamid);

    // The console, signed in as a CRM admin.
    await page.goto(`${webUrl}/console/`);
    await page.getByLabel('Nama pengguna').fill(ADMIN.username);
    await page.getByLabel('Kata sandi').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Masuk' }).click();
    await page.getByRole('button', { name: 'Keluar' }).waitFor();

    await eventually(
      async () =>
        expect(await photoShown(mailReport)).toEqual(expect.objectContaining({ width: 48, height: 36 })),
      { timeoutMs: 30_000 },
    );
    await eventually(
      async () =>
        expect(await photoShown(whatsappReport)).toEqual(expect.objectContaining({ width: 32, height: 24 })),
      { timeoutMs: 30_000 },
    );
  });
});
