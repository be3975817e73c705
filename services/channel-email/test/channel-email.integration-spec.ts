import { randomUUID } from 'node:crypto';
import { EventBus } from '@aduan/bus';
import { deliveryIds, type RunningChannel } from '@aduan/channel-sdk';
import type { ComplaintFollowUp, ComplaintReceived } from '@aduan/contracts';
import {
  capturedLogger,
  collectEvents,
  createTestDatabase,
  eventually,
  testEnv,
  uniqueTopicPrefix,
  type TestDatabase,
  startSmtpSink,
  type SmtpSink,
} from '@aduan/testing';
import { Kafka } from 'kafkajs';
import { startChannelEmail } from '../src/email';
import { startDovecot, type TestMailServer } from './dovecot';

const CITIZEN = 'siti.rahma@warga.example';
const CITIZEN_NAME = 'Siti Rahma';
/** Explicit and stable: the committed position of notification delivery lives here. */
const NOTIFICATION_GROUP = 'aduan.channel-email.notifications';
// 1x1 transparent PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

function mail(opts: {
  id: string;
  subject: string;
  body: string;
  headers?: string[];
  from?: string;
  png?: boolean;
}): string {
  const head = [
    `From: ${opts.from ?? `${CITIZEN_NAME} <${CITIZEN}>`}`,
    'To: Aduan Jakarta <pengaduan@aduan.test>',
    `Subject: ${opts.subject}`,
    `Message-ID: ${opts.id}`,
    'Date: Mon, 05 Jan 2026 10:22:00 +0700',
    'MIME-Version: 1.0',
    ...(opts.headers ?? []),
  ];
  if (!opts.png) return [...head, 'Content-Type: text/plain; charset=utf-8', '', opts.body, ''].join('\r\n');
  return [
    ...head,
    'Content-Type: multipart/mixed; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain; charset=utf-8',
    '',
    opts.body,
    '--b1',
    'Content-Type: image/png; name="lubang.png"',
    'Content-Disposition: attachment; filename="lubang.png"',
    'Content-Transfer-Encoding: base64',
    '',
    PNG.toString('base64'),
    '--b1--',
    '',
  ].join('\r\n');
}

describe('channel-email against a real Dovecot, a real SMTP server, Kafka and PostgreSQL', () => {
  const prefix = uniqueTopicPrefix();
  const { logger, lines } = capturedLogger('channel-email');
  let imap: TestMailServer;
  let smtp: SmtpSink;
  let database: TestDatabase;
  let bus: EventBus;
  let received: ComplaintReceived[];
  let followUpEvents: ComplaintFollowUp[];
  let service: RunningChannel | undefined;
  let env: NodeJS.ProcessEnv;

  async function start(): Promise<RunningChannel> {
    service = await startChannelEmail(env, logger);
    return service;
  }
  async function stop(): Promise<void> {
    await service?.stop();
    service = undefined;
  }
  const reportOf = (messageId: string) => received.find((e) => e.source.id === messageId);
  const mailsTo = (pred: (m: SmtpSink['mails'][number]) => boolean) => smtp.mails.filter(pred);

  beforeAll(async () => {
    imap = await startDovecot();
    smtp = await startSmtpSink();
    database = await createTestDatabase('channel_email');
    env = {
      EMAIL_PORT: '0',
      IMAP_URL: imap.imapUrl,
      SMTP_URL: smtp.url,
      EMAIL_FROM: 'Aduan Jakarta <pengaduan@aduan.test>',
      DATABASE_URL: database.url,
      KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: prefix,
      KAFKA_TOPIC_PARTITIONS: '1',
      TRACKING_CODE_SECRET: 'email-test-secret',
      PUBLIC_TRACKING_URL: 'https://aduan.test/lacak/{code}',
    };
    bus = new EventBus({
      brokers: testEnv.kafkaBrokers,
      clientId: 'email-test',
      source: '/aduan/test',
      logger: capturedLogger('t').logger,
      topicPrefix: prefix,
      partitions: 1,
    });
    await bus.connect();
    await bus.ensureTopics([
      'aduan.complaint.received.v1',
      'aduan.complaint.followup.v1',
      'aduan.notification.v1',
    ]);
    received = await collectEvents(bus, 'aduan.complaint.received.v1');
    followUpEvents = await collectEvents(bus, 'aduan.complaint.followup.v1');
    await start();
  });

  afterAll(async () => {
    await stop();
    const topics = (await bus?.adminClient.listTopics())?.filter((t) => t.startsWith(prefix)) ?? [];
    if (topics.length) await bus.adminClient.deleteTopics({ topics });
    await bus?.close();
    await smtp?.stop();
    await imap?.stop();
    await database?.drop();
  });

  it('turns an appended mail into a report and acknowledges it with its tracking code, threaded', async () => {
    await imap.append(
      mail({
        id: '<m1@warga.example>',
        subject: 'Jalan berlubang di Jl. Kramat Raya',
        body: 'Ada lubang besar di depan pasar Kramat, berbahaya untuk motor.\n\nOn Sun, 4 Jan 2026 Budi <budi@warga.example> wrote:\n> pesan lama',
        png: true,
      }),
    );
    const report = await eventually(
      () => reportOf('<m1@warga.example>') ?? Promise.reject(new Error('no report yet')),
      { timeoutMs: 20_000 },
    );
    expect(report).toMatchObject({
      channel: 'email',
      subject: 'Jalan berlubang di Jl. Kramat Raya',
      reporter: { anonymous: false, answers: true },
      source: { id: '<m1@warga.example>', thread: '<m1@warga.example>' },
    });
    expect(await service!.keptContact(report)).toEqual({ email: CITIZEN, name: CITIZEN_NAME });
    expect(report.text).toBe('Ada lubang besar di depan pasar Kramat, berbahaya untuk motor.');
    // Kept in the media store and served by the adapter: its public copy, without metadata.
    expect(report.attachments).toEqual([
      expect.objectContaining({
        url: expect.stringMatching(
          new RegExp(`^http://127\\.0\\.0\\.1:${service!.port}/media/[0-9a-f]{64}$`),
        ),
        contentType: 'image/png',
        name: 'lubang.png',
      }),
    ]);
    const served = await fetch(report.attachments[0]!.url);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    const bytes = Buffer.from(await served.arrayBuffer());
    expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(report.attachments[0]!.size).toBe(bytes.length);

    const ack = await eventually(() => {
      const found = mailsTo((m) => m.inReplyTo === '<m1@warga.example>');
      expect(found).toHaveLength(1);
      return found[0]!;
    });
    expect(ack.to).toEqual([CITIZEN]);
    expect(ack.references).toContain('<m1@warga.example>');
    expect(ack.subject).toContain(report.trackingCode);
    expect(ack.text).toContain(report.trackingCode);
    expect(ack.text).toContain(`https://aduan.test/lacak/${report.trackingCode}`);
    expect(ack.text.indexOf('Terima kasih')).toBeLessThan(ack.text.indexOf('Thank you'));
    expect(ack.autoSubmitted).toBe('auto-replied');
  });

  it('attaches a reply to the acknowledgement, or a mail naming the tracking code, to the same report', async () => {
    const report = reportOf('<m1@warga.example>')!;
    const ack = mailsTo((m) => m.inReplyTo === '<m1@warga.example>')[0]!;
    await imap.append(
      mail({
        id: '<m2@warga.example>',
        subject: `Re: ${ack.subject}`,
        body: 'Lubangnya makin lebar setelah hujan.\n\n> Terima kasih, laporan Anda sudah kami terima.',
        headers: [`In-Reply-To: ${ack.messageId}`, `References: <m1@warga.example> ${ack.messageId}`],
      }),
    );
    await imap.append(
      mail({
        id: '<m3@warga.example>',
        subject: `Tambahan untuk laporan ${report.trackingCode.toLowerCase()}`,
        body: 'Sudah ada korban jatuh.',
      }),
    );
    await eventually(() => expect(mailsTo((m) => m.inReplyTo === '<m3@warga.example>')).toHaveLength(1), {
      timeoutMs: 20_000,
    });
    const replyToFollowUp = await eventually(() => {
      const found = mailsTo((m) => m.inReplyTo === '<m2@warga.example>');
      expect(found).toHaveLength(1);
      return found;
    });
    expect(replyToFollowUp[0]!.text).toContain(report.trackingCode);

    expect(reportOf('<m2@warga.example>')).toBeUndefined();
    expect(reportOf('<m3@warga.example>')).toBeUndefined();
    const followUps = await service!.context.store.conversations.followUps(report.reportId);
    expect(followUps.map((f) => f.text)).toEqual([
      'Lubangnya makin lebar setelah hujan.',
      'Sudah ada korban jatuh.',
    ]);

    // Published for the status service (officers) before the citizen was told, without the sender.
    const events = await eventually(() => {
      const ours = followUpEvents.filter((e) => e.reportId === report.reportId);
      expect(ours).toHaveLength(2);
      return ours;
    });
    expect(events.map((e) => [e.source.id, e.text])).toEqual([
      ['<m2@warga.example>', 'Lubangnya makin lebar setelah hujan.'],
      ['<m3@warga.example>', 'Sudah ada korban jatuh.'],
    ]);
    expect(events[0]).toMatchObject({
      channel: 'email',
      trackingCode: report.trackingCode,
      source: { thread: '<m2@warga.example>', receivedAt: '2026-01-05T03:22:00.000Z' },
    });
    expect(new Set(events.map((e) => e.followUpId)).size).toBe(2);
    expect(JSON.stringify(events)).not.toMatch(/siti\.rahma|Siti Rahma/);
  });

  it("does not add a stranger's mail to a report because it names the report's tracking code", async () => {
    const report = reportOf('<m1@warga.example>')!;
    await imap.append(
      mail({
        id: '<stranger@lain.example>',
        from: 'Orang Lain <orang@lain.example>',
        subject: `Soal laporan ${report.trackingCode}`,
        body: 'Laporan ini palsu, abaikan saja.',
      }),
    );
    const own = await eventually(
      () => reportOf('<stranger@lain.example>') ?? Promise.reject(new Error('no report yet')),
      { timeoutMs: 20_000 },
    );
    expect(own.reportId).not.toBe(report.reportId);
    const followUps = await service!.context.store.conversations.followUps(report.reportId);
    expect(followUps.map((f) => f.sourceId)).not.toContain('<stranger@lain.example>');
    // The stranger is acknowledged with the code of their own report, and learns nothing of the other.
    const ack = await eventually(() => {
      const found = mailsTo((m) => m.inReplyTo === '<stranger@lain.example>');
      expect(found).toHaveLength(1);
      return found[0]!;
    });
    expect(ack.text).toContain(own.trackingCode);
    expect(ack.text).not.toContain(report.trackingCode);
  });

  it('ignores auto-replies, bounces and list mail without answering, and asks an empty mail for details', async () => {
    const sentBefore = smtp.mails.length;
    await imap.append(
      mail({
        id: '<auto@warga.example>',
        subject: 'Out of office',
        body: 'Saya sedang cuti.',
        headers: ['Auto-Submitted: auto-replied'],
      }),
    );
    await imap.append(
      mail({
        id: '<bounce@mx.example>',
        subject: 'Undelivered Mail Returned to Sender',
        body: 'delivery failed',
        from: 'MAILER-DAEMON@mx.example',
      }),
    );
    await imap.append(
      mail({
        id: '<list@lists.example>',
        subject: 'Buletin warga',
        body: 'Berita minggu ini',
        headers: ['List-Id: <warga.lists.example>', 'Precedence: list'],
      }),
    );
    await imap.append(mail({ id: '<empty@warga.example>', subject: '', body: '' }));
    await imap.append(
      mail({
        id: '<m4@warga.example>',
        subject: 'Sampah menumpuk',
        body: 'Sampah di Jl. Salemba belum diangkut tiga hari.',
      }),
    );

    await eventually(() => expect(reportOf('<m4@warga.example>')).toBeDefined(), { timeoutMs: 20_000 });
    await eventually(() => expect(mailsTo((m) => m.inReplyTo === '<m4@warga.example>')).toHaveLength(1));
    for (const id of [
      '<auto@warga.example>',
      '<bounce@mx.example>',
      '<list@lists.example>',
      '<empty@warga.example>',
    ])
      expect(reportOf(id)).toBeUndefined();
    const answered = smtp.mails.slice(sentBefore).map((m) => m.inReplyTo);
    expect(answered.sort()).toEqual(['<empty@warga.example>', '<m4@warga.example>']);
    const askDetails = mailsTo((m) => m.inReplyTo === '<empty@warga.example>')[0]!;
    expect(askDetails.text).toContain('Mohon kirim kembali uraian masalahnya');
    expect(askDetails.text).toContain('Please write again');
  });

  it('reads nothing again after a restart, and misses nothing that arrived while it was down', async () => {
    const reportsBefore = received.length;
    const mailsBefore = smtp.mails.length;
    await stop();
    await imap.append(
      mail({
        id: '<m5@warga.example>',
        subject: 'Pohon tumbang',
        body: 'Pohon tumbang menutup jalan di Menteng.',
      }),
    );
    await start();
    await eventually(() => expect(reportOf('<m5@warga.example>')).toBeDefined(), { timeoutMs: 20_000 });
    await eventually(() => expect(mailsTo((m) => m.inReplyTo === '<m5@warga.example>')).toHaveLength(1));
    await imap.append(
      mail({ id: '<m6@warga.example>', subject: 'Banjir', body: 'Banjir setinggi lutut di Kampung Melayu.' }),
    );
    await eventually(() => expect(mailsTo((m) => m.inReplyTo === '<m6@warga.example>')).toHaveLength(1), {
      timeoutMs: 20_000,
    });

    expect(received.slice(reportsBefore).map((e) => e.source.id)).toEqual([
      '<m5@warga.example>',
      '<m6@warga.example>',
    ]);
    expect(smtp.mails.slice(mailsBefore).map((m) => m.inReplyTo)).toEqual([
      '<m5@warga.example>',
      '<m6@warga.example>',
    ]);
  }, 120_000); // a whole stop and start of the adapter (group leave and join) besides its own waits

  it('delivers a state change once, threaded, even when the adapter restarts in the middle', async () => {
    const report = reportOf('<m1@warga.example>')!;
    const notification = {
      notificationId: randomUUID(),
      reportId: report.reportId,
      trackingCode: report.trackingCode,
      channel: 'email' as const,
      recipient: { address: CITIZEN },
      locale: 'id' as const,
      state: 'IN_PROGRESS' as const,
      message: 'Laporan Anda sedang ditangani oleh Dinas Bina Marga.',
    };
    const isIt = (m: SmtpSink['mails'][number]) => m.text.includes('Dinas Bina Marga');

    // The relay is down: the adapter keeps retrying; it is stopped while it does.
    smtp.setDown(true);
    await bus.publish('aduan.notification.v1', notification);
    await eventually(async () =>
      expect(
        (await service!.context.outbox.find(deliveryIds.notification(notification.notificationId)))?.attempts,
      ).toBeGreaterThanOrEqual(2),
    );
    await stop();
    smtp.setDown(false);
    await start();
    await eventually(() => expect(mailsTo(isIt)).toHaveLength(1), { timeoutMs: 30_000 });

    // A crash after sending but before Kafka committed: the event comes again, nothing is resent.
    await stop();
    const admin = new Kafka({ brokers: testEnv.kafkaBrokers, clientId: 'rewind', logLevel: 0 }).admin();
    await admin.connect();
    await admin.resetOffsets({
      groupId: `${prefix}${NOTIFICATION_GROUP}`,
      topic: `${prefix}aduan.notification.v1`,
      earliest: true,
    });
    await admin.disconnect();
    await start();
    const later = {
      ...notification,
      notificationId: randomUUID(),
      state: 'COMPLETED' as const,
      message: 'Lubang sudah ditambal. Selesai.',
    };
    await bus.publish('aduan.notification.v1', later);
    await eventually(() => expect(mailsTo((m) => m.text.includes('sudah ditambal'))).toHaveLength(1), {
      timeoutMs: 30_000,
    });

    const sent = mailsTo(isIt);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.to).toEqual([CITIZEN]);
    expect(sent[0]!.inReplyTo).toBe('<m1@warga.example>');
    expect(sent[0]!.subject).toContain(report.trackingCode);
    expect(sent[0]!.text).toContain(`https://aduan.test/lacak/${report.trackingCode}`);
  }, 180_000); // two stops and starts of the adapter (group leave and join) besides its own waits

  it('drops a refused attachment with a note on the report, keeping the mail and its other files', async () => {
    const exe = Buffer.concat([Buffer.from('MZ\x90\x00', 'latin1'), Buffer.alloc(60, 1)]);
    const raw = mail({
      id: '<m7@warga.example>',
      subject: 'Got mampet',
      body: 'Got mampet di Jl. Cikini.',
      png: true,
    }).replace(
      '--b1--',
      [
        '--b1',
        'Content-Type: application/x-msdownload; name="foto.exe"',
        'Content-Disposition: attachment; filename="foto.exe"',
        'Content-Transfer-Encoding: base64',
        '',
        exe.toString('base64'),
        '--b1--',
      ].join('\r\n'),
    );
    await imap.append(raw);
    const report = await eventually(
      () => reportOf('<m7@warga.example>') ?? Promise.reject(new Error('no report yet')),
      { timeoutMs: 20_000 },
    );
    expect(report.attachments).toEqual([
      expect.objectContaining({ contentType: 'image/png', name: 'lubang.png' }),
    ]);
    expect(report.text).toMatch(
      /^Got mampet di Jl\. Cikini\.\n\n\[Lampiran tidak disimpan \/ attachment not kept: .+foto\.exe/,
    );
    await eventually(() => expect(mailsTo((m) => m.inReplyTo === '<m7@warga.example>')).toHaveLength(1));
  });

  it('keeps a mail that breaks the event contract aside instead of blocking the mailbox', async () => {
    const future = mail({
      id: '<future@warga.example>',
      subject: 'Tanggal rusak',
      body: 'Jalan rusak.',
    }).replace('Date: Mon, 05 Jan 2026 10:22:00 +0700', 'Date: Sat, 01 Jan 10000 10:00:00 +0000');
    const longFrom = mail({
      id: '<long@warga.example>',
      subject: 'Alamat panjang',
      body: 'Trotoar rusak.',
      from: `${'a'.repeat(320)}@warga.example`,
    });
    await imap.append(future);
    await imap.append(longFrom);
    await imap.append(
      mail({ id: '<m8@warga.example>', subject: 'Lampu mati', body: 'Lampu jalan mati di Cikini.' }),
    );
    await eventually(() => expect(mailsTo((m) => m.inReplyTo === '<m8@warga.example>')).toHaveLength(1), {
      timeoutMs: 20_000,
    });

    const kept = await service!.context.quarantine.list('email');
    for (const id of ['<future@warga.example>', '<long@warga.example>']) {
      const item = kept.find((q) => q.excerpt?.includes(id));
      expect(item).toMatchObject({ ingress: 'poll:imap', sourceId: expect.stringMatching(/^imap:\d+:\d+$/) });
      expect(item!.reason).toMatch(/^CONTRACT_VIOLATION: /);
      expect(reportOf(id)).toBeUndefined();
      expect(mailsTo((m) => m.inReplyTo === id)).toHaveLength(0);
    }
  });

  it('goes on reading mail while the SMTP server is down; the acknowledgements wait in the outbox', async () => {
    smtp.setDown(true);
    await imap.append(
      mail({ id: '<m9@warga.example>', subject: 'Jalan retak', body: 'Jalan retak di Jl. Pramuka.' }),
    );
    await imap.append(
      mail({ id: '<m10@warga.example>', subject: 'Pohon miring', body: 'Pohon miring di Jl. Proklamasi.' }),
    );
    const reports = await eventually(
      () => {
        const both = [reportOf('<m9@warga.example>'), reportOf('<m10@warga.example>')];
        expect(both).toEqual([expect.anything(), expect.anything()]);
        return both.map((r) => r!);
      },
      { timeoutMs: 20_000 },
    );
    await eventually(async () => {
      const ack = await service!.context.outbox.find(deliveryIds.acknowledgement(reports[0]!.reportId));
      expect(ack).toMatchObject({ status: 'pending', lastError: expect.stringContaining('421') });
    });
    expect(
      mailsTo((m) => ['<m9@warga.example>', '<m10@warga.example>'].includes(m.inReplyTo ?? '')),
    ).toHaveLength(0);

    smtp.setDown(false);
    await eventually(
      () => {
        expect(mailsTo((m) => m.inReplyTo === '<m9@warga.example>')).toHaveLength(1);
        expect(mailsTo((m) => m.inReplyTo === '<m10@warga.example>')).toHaveLength(1);
      },
      { timeoutMs: 30_000 },
    );
  });

  it('wrote no contact data to its logs', () => {
    const all = lines.join('\n');
    expect(all).toContain('report opened');
    expect(all).not.toMatch(/siti|rahma|warga\.example|test-password/i);
  });
});
