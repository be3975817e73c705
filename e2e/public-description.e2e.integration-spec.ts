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
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChannelEmail } from '../services/channel-email/src/email';
import { startDovecot, type TestMailServer } from '../services/channel-email/test/dovecot';
import { startChannelWhatsapp } from '../services/channel-whatsapp/src/app';
import { startStatus } from '../services/status/src/app';

const WHATSAPP_SECRET = 'e2e-whatsapp-app-secret';
const OFFICER_SECRET = 'e2e-officer-secret-of-32-bytes-at-least';
const ADMIN = { username: 'crm-admin', password: 'e2e-admin-password-123' };

function mail(messageId: string, subject: string, body: string, extraHeaders: string[] = []): string {
  return [
    'From: "Andi Wijaya" <andi.w@warga.example>',
    'To: Aduan Jakarta <pengaduan@aduan.test>',
    `Subject: ${subject}`,
    `Message-ID: ${messageId}`,
    'Date: Tue, 06 Jan 2026 08:15:00 +0700',
    'MIME-Version: 1.0',
    ...extraHeaders,
    'Content-Type: text/plain; charset=utf-8',
    '',
    body.replace(/\n/g, '\r\n'),
    '',
  ].join('\r\n');
}

/** Andi's name, title, address and phone as his mails carry them, in any case. */
const ANDI = ['andi', 'wijaya', 'ketua rt', 'no. 12', '0812', '3456', 'iphone'];

describe('a complaint signed by its sender: the public page shows the complaint, officers the whole mail', () => {
  const prefix = uniqueTopicPrefix();
  const { logger, lines } = capturedLogger('e2e');
  let database: TestDatabase;
  let imap: TestMailServer;
  let attachmentDir: string;
  let bus: EventBus;
  let received: ComplaintReceived[];
  let services: Array<{ stop(): Promise<void> }> = [];
  let statusUrl = '';
  let whatsappUrl = '';
  let officerToken = '';

  beforeAll(async () => {
    [database, imap, attachmentDir] = await Promise.all([
      createTestDatabase('e2e_public_text'),
      startDovecot(),
      mkdtemp(join(tmpdir(), 'aduan-e2e-attachments-')),
    ]);
    const env = {
      KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: prefix,
      DATABASE_URL: database.url,
      STATUS_PORT: '0',
      EMAIL_PORT: '0',
      WHATSAPP_PORT: '0',
      IMAP_URL: imap.imapUrl,
      EMAIL_ATTACHMENT_DIR: attachmentDir,
      WHATSAPP_APP_SECRET: WHATSAPP_SECRET,
      WHATSAPP_VERIFY_TOKEN: 'e2e-verify',
      OFFICER_JWT_SECRET: OFFICER_SECRET,
      OFFICER_BOOTSTRAP_ADMIN: `${ADMIN.username}:${ADMIN.password}`,
      REPORTER_DATA_KEY: Buffer.alloc(32, 9).toString('base64'),
    };
    bus = new EventBus({
      brokers: testEnv.kafkaBrokers,
      clientId: 'e2e-public-text',
      source: '/aduan/e2e',
      logger,
      topicPrefix: prefix,
    });
    await bus.connect();
    await bus.ensureTopics(['aduan.complaint.received.v1']);
    received = await collectEvents(bus, 'aduan.complaint.received.v1');
    const status = await startStatus(env, logger.child({ service: 'status' }));
    const email = await startChannelEmail(env, logger.child({ service: 'channel-email' }));
    const whatsapp = await startChannelWhatsapp(env, logger.child({ service: 'channel-whatsapp' }));
    services = [email, whatsapp, status];
    statusUrl = `http://127.0.0.1:${status.port}`;
    whatsappUrl = `http://127.0.0.1:${whatsapp.port}`;
    const signIn = await fetch(`${statusUrl}/v1/officer/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    officerToken = ((await signIn.json()) as { accessToken: string }).accessToken;
  });

  afterAll(async () => {
    for (const s of services) await s.stop();
    const ours = ((await bus?.adminClient.listTopics()) ?? []).filter((t) => t.startsWith(prefix));
    if (ours.length) await bus.adminClient.deleteTopics({ topics: ours }).catch(() => undefined);
    await bus?.close();
    await imap?.stop();
    await database?.drop();
    if (attachmentDir) await rm(attachmentDir, { recursive: true, force: true });
  });

  /** The report a source message became, once the public page shows its description. */
  async function reportOf(sourceId: string) {
    return eventually(
      async () => {
        const event = received.find((e) => e.source.id === sourceId);
        expect(event).toBeDefined();
        const res = await fetch(`${statusUrl}/v1/public/reports/${event!.trackingCode}`);
        expect(res.status).toBe(200);
        const { description } = (await res.json()) as { description: string | null };
        expect(description).toEqual(expect.any(String));
        return { reportId: event!.reportId, description: description! };
      },
      { timeoutMs: 30_000 },
    );
  }

  async function officerText(reportId: string): Promise<string> {
    const res = await fetch(`${statusUrl}/v1/officer/reports/${reportId}`, {
      headers: { authorization: `Bearer ${officerToken}` },
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { text: string }).text;
  }

  function expectNothingOfAndi(description: string): void {
    for (const s of ANDI) expect(description.toLowerCase()).not.toContain(s);
  }

  it('an Indonesian mail with a signature of title, address and phone', async () => {
    const id = '<lampu-pju.1@warga.example>';
    await imap.append(
      mail(
        id,
        'Lampu PJU mati di Cempaka Putih',
        [
          'Yth. Bapak/Ibu petugas,',
          '',
          'Lampu PJU di Jl. Cempaka Putih Tengah mati total sejak Senin, gelap dan rawan jambret.',
          '',
          'Hormat saya,',
          '',
          'Andi Wijaya, S.T.',
          'Ketua RT 005/RW 003 Kel. Cempaka Putih Timur',
          'Jl. Cempaka Putih Tengah 17 No. 12',
          'HP.0812-3456-7890',
        ].join('\n'),
      ),
    );
    const report = await reportOf(id);
    expect(report.description).toBe(
      'Yth. Bapak/Ibu petugas,\n\nLampu PJU di Jl. Cempaka Putih Tengah mati total sejak Senin, gelap dan rawan jambret.',
    );
    expectNothingOfAndi(report.description);
    const full = await officerText(report.reportId);
    expect(full).toContain('Hormat saya,\n\nAndi Wijaya, S.T.\nKetua RT 005/RW 003');
  });

  it('an English mail from a phone that quotes the acknowledgement it answers', async () => {
    const id = '<garbage.2@warga.example>';
    await imap.append(
      mail(
        id,
        'Re: Laporan diterima / Report received',
        [
          'Garbage at the corner of Jl. Sabang and Jl. Wahid Hasyim is still not collected.',
          '',
          'Thanks,',
          'Andi',
          '',
          'Sent from my iPhone',
          '',
          'On 5 Jan 2026, at 10:22, Aduan Jakarta <pengaduan@aduan.test> wrote:',
          '> Terima kasih, laporan Anda sudah kami terima.',
          '> Nomor laporan: ABCDE-FGHJK',
        ].join('\n'),
        ['In-Reply-To: <ack-from-before-this-mailbox@aduan.test>'],
      ),
    );
    const report = await reportOf(id);
    expect(report.description).toBe(
      'Garbage at the corner of Jl. Sabang and Jl. Wahid Hasyim is still not collected.',
    );
    expectNothingOfAndi(report.description);
    expect(await officerText(report.reportId)).toContain('Thanks,\nAndi\n\nSent from my iPhone');
  });

  it('a WhatsApp message signed with the profile name, which also names its sender', async () => {
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '1234567890987654321',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '6281100001708', phone_number_id: '1122334455667' },
                contacts: [{ profile: { name: 'Budi Santoso' }, wa_id: '6281298765432' }],
                messages: [
                  {
                    from: '6281298765432',
                    id: 'wamid.public-text-1',
                    timestamp: '1767662100',
                    type: 'text',
                    text: {
                      body: 'Selamat pagi, saya Budi Santoso dari Gg. Kenari. Got mampet depan rumah, air meluap ke jalan.\nMakasih\n- Budi',
                    },
                  },
                ],
              },
            },
          ],
        },
      ],
    });
    const res = await fetch(`${whatsappUrl}/webhooks/whatsapp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hub-signature-256': hubSignature256(body, WHATSAPP_SECRET),
      },
      body,
    });
    expect(res.status).toBe(200);

    const report = await reportOf('wamid.public-text-1');
    expect(report.description).toBe(
      'Selamat pagi, saya [name] dari Gg. Kenari. Got mampet depan rumah, air meluap ke jalan.',
    );
    expect(await officerText(report.reportId)).toContain('saya Budi Santoso dari Gg. Kenari');
  });

  it('writes none of the names to any log', () => {
    expect(lines.join('\n')).not.toMatch(/Wijaya|Santoso/);
  });
});
