import { EventBus } from '@aduan/bus';
import { trackingCodeFor, type RunningChannel } from '@aduan/channel-sdk';
import type { ComplaintFollowUp, ComplaintReceived } from '@aduan/contracts';
import {
  capturedLogger,
  collectEvents,
  createTestDatabase,
  eventually,
  publicReportView,
  startSmtpSink,
  statusApiStandIn,
  testEnv,
  uniqueTopicPrefix,
  type SmtpSink,
  type StatusApiStandIn,
  type TestDatabase,
} from '@aduan/testing';
import { startChannelEmail } from '../src/email';
import { citizen, citizenMail } from './citizen-mail';
import { startDovecot, type TestMailServer } from './dovecot';

const code = (n: string) => trackingCodeFor(`email-check-${n}`, 'any-secret');
const quietly = () => new Promise((r) => setTimeout(r, 1500));

/** A citizen's mail with its own subject (citizenMail writes "Laporan <id>"). */
const mailWithSubject = (id: string, subject: string, body: string) =>
  citizenMail(id, body).replace(`Subject: Laporan ${id}`, `Subject: ${subject}`);

/** "cek <code>" as an e-mail's subject (ADR 0049): a threaded answer to the sender, no report. */
describe('channel-email: checking a report by the subject of a mail', () => {
  const prefix = uniqueTopicPrefix();
  const { logger, lines } = capturedLogger('channel-email');
  let imap: TestMailServer;
  let smtp: SmtpSink;
  let db: TestDatabase;
  let status: StatusApiStandIn;
  let bus: EventBus;
  let received: ComplaintReceived[];
  let followUps: ComplaintFollowUp[];
  let service: RunningChannel;

  beforeAll(async () => {
    [imap, smtp, db, status] = await Promise.all([
      startDovecot(),
      startSmtpSink(),
      createTestDatabase('email_check'),
      statusApiStandIn(),
    ]);
    bus = new EventBus({
      brokers: testEnv.kafkaBrokers,
      clientId: 'email-check-test',
      source: '/aduan/test',
      logger: capturedLogger('t').logger,
      topicPrefix: prefix,
    });
    await bus.connect();
    await bus.ensureTopics(['aduan.complaint.received.v1', 'aduan.complaint.followup.v1']);
    received = await collectEvents(bus, 'aduan.complaint.received.v1');
    followUps = await collectEvents(bus, 'aduan.complaint.followup.v1');
    service = await startChannelEmail(
      {
        EMAIL_PORT: '0',
        IMAP_URL: imap.imapUrl,
        SMTP_URL: smtp.url,
        EMAIL_FROM: 'Aduan Jakarta <pengaduan@aduan.test>',
        STATUS_BASE_URL: status.url,
        PUBLIC_TRACKING_URL: 'https://aduan.test/lacak/{code}',
        DATABASE_URL: db.url,
        KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
        KAFKA_TOPIC_PREFIX: prefix,
      },
      logger,
    );
  });

  afterAll(async () => {
    await service?.stop();
    await bus?.close();
    await smtp?.stop();
    await imap?.stop();
    await status?.close();
    await db?.drop();
  });

  const answersTo = (id: string) => smtp.mails.filter((m) => m.inReplyTo === `<${id}@warga.example>`);
  const oneAnswer = (id: string) =>
    eventually(
      () => {
        const found = answersTo(id);
        expect(found).toHaveLength(1);
        return found[0]!;
      },
      { timeoutMs: 20_000 },
    );

  it('answers a mail whose subject is "cek <code>" in its thread, and files nothing', async () => {
    const tracking = code('mail');
    status.show(publicReportView(tracking, 'Perbaikan selesai minggu depan'));
    await imap.append(
      mailWithSubject('check1', `CEK ${tracking}`, 'Selamat pagi,\n\nSiti\n--\nDikirim dari ponsel saya'),
    );
    const answer = await oneAnswer('check1');
    expect(answer.to).toEqual([citizen('check1')]);
    expect(answer.subject).toBe(`Re: CEK ${tracking}`);
    expect(answer.text).toContain(`Status laporan ${tracking}: Proses`);
    expect(answer.text).toContain('Ditangani oleh: Suku Dinas Bina Marga Kota Administrasi Jakarta Selatan');
    expect(answer.text).toContain('Catatan terakhir: Perbaikan selesai minggu depan');
    expect(answer.text).not.toContain('Siti');
    await quietly();
    expect(answersTo('check1')).toHaveLength(1);
    expect(received).toEqual([]);
    expect(followUps).toEqual([]);
    for (const line of lines) expect(line).not.toContain(citizen('check1'));
  }, 40_000);

  it('answers an unknown code neutrally, and takes a subject that only mentions "status" as a complaint', async () => {
    await imap.append(mailWithSubject('check2', `status laporan ${code('nobody')}`, 'Mohon infonya.'));
    const unknown = await oneAnswer('check2');
    expect(unknown.text).toContain('tidak dapat kami tampilkan');
    expect(unknown.text).not.toContain(code('nobody'));
    await imap.append(mailWithSubject('complaint1', 'Status banjir di Kemang', 'Air masih setinggi lutut.'));
    await eventually(() => expect(received).toHaveLength(1), { timeoutMs: 20_000 });
    expect((await oneAnswer('complaint1')).text).toContain('Nomor laporan');
  }, 40_000);
});
