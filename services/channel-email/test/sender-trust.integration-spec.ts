import { EventBus } from '@aduan/bus';
import { deliveryIds, type RunningChannel } from '@aduan/channel-sdk';
import type { ComplaintFollowUp, ComplaintReceived } from '@aduan/contracts';
import {
  capturedLogger,
  collectEvents,
  createTestDatabase,
  eventually,
  startSmtpSink,
  testEnv,
  uniqueTopicPrefix,
  type SmtpSink,
  type TestDatabase,
} from '@aduan/testing';
import { startChannelEmail } from '../src/email';
import { citizenMail } from './citizen-mail';
import { startDovecot, type TestMailServer } from './dovecot';

/** Our receiving server, as EMAIL_AUTHSERV_ID names it. */
const OUR_MX = 'mx.aduan.test';
const REPLIES_PER_DAY = 2;
const MAILS_PER_HOUR = 3;

/** The header our server writes above a mail it checked: DKIM of the From domain and SPF. */
function authenticated(from: string, by = OUR_MX, result = 'pass'): string {
  const domain = from.slice(from.indexOf('@') + 1);
  return [
    `Authentication-Results: ${by};`,
    `\tdkim=${result} (2048-bit key) header.d=${domain} header.s=s1;`,
    `\tspf=${result} (${by}: domain of ${from} designates 192.0.2.7 as permitted sender) smtp.mailfrom=${from}`,
  ].join('\r\n');
}

/** A citizen's plain-text mail with the headers a test needs above it. */
const mail = (o: { id: string; from: string; subject: string; body: string; headers?: string[] }) =>
  citizenMail(o.id, o.body, { messageId: o.id, from: o.from, subject: o.subject, headers: o.headers });

describe('channel-email: who may add to a report, and who is answered', () => {
  const prefix = uniqueTopicPrefix();
  const { logger, lines } = capturedLogger('channel-email');
  let imap: TestMailServer;
  let smtp: SmtpSink;
  let database: TestDatabase;
  let bus: EventBus;
  let received: ComplaintReceived[];
  let followUpEvents: ComplaintFollowUp[];
  let service: RunningChannel;

  const reportOf = (messageId: string) =>
    eventually(() => received.find((e) => e.source.id === messageId) ?? Promise.reject(new Error('none')), {
      timeoutMs: 20_000,
    });
  const answersTo = (messageId: string) => smtp.mails.filter((m) => m.inReplyTo === messageId);
  const oneAnswerTo = (messageId: string) =>
    eventually(
      () => {
        expect(answersTo(messageId)).toHaveLength(1);
        return answersTo(messageId)[0]!;
      },
      { timeoutMs: 20_000 },
    );
  /** The outbox gave the message up for good, with this reason, and sent nothing. */
  const refused = async (deliveryId: string, reason: string) =>
    eventually(
      async () =>
        expect(await service.context.outbox.find(deliveryId)).toMatchObject({
          status: 'failed',
          lastError: expect.stringContaining(reason),
        }),
      { timeoutMs: 20_000 },
    );

  beforeAll(async () => {
    [imap, smtp, database] = await Promise.all([
      startDovecot(),
      startSmtpSink(),
      createTestDatabase('email_trust'),
    ]);
    bus = new EventBus({
      brokers: testEnv.kafkaBrokers,
      clientId: 'email-trust-test',
      source: '/aduan/test',
      logger: capturedLogger('t').logger,
      topicPrefix: prefix,
      partitions: 1,
    });
    await bus.connect();
    await bus.ensureTopics(['aduan.complaint.received.v1', 'aduan.complaint.followup.v1']);
    received = await collectEvents(bus, 'aduan.complaint.received.v1');
    followUpEvents = await collectEvents(bus, 'aduan.complaint.followup.v1');
    service = await startChannelEmail(
      {
        EMAIL_PORT: '0',
        IMAP_URL: imap.imapUrl,
        SMTP_URL: smtp.url,
        EMAIL_FROM: 'Aduan Jakarta <pengaduan@aduan.test>',
        EMAIL_AUTHSERV_ID: OUR_MX,
        EMAIL_REPLIES_PER_SENDER_PER_DAY: String(REPLIES_PER_DAY),
        EMAIL_SENDER_MAILS_PER_HOUR: String(MAILS_PER_HOUR),
        DATABASE_URL: database.url,
        KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
        KAFKA_TOPIC_PREFIX: prefix,
        KAFKA_TOPIC_PARTITIONS: '1',
        TRACKING_CODE_SECRET: 'email-trust-secret',
        PUBLIC_TRACKING_URL: 'https://aduan.test/lacak/{code}',
      },
      logger,
    );
  });

  afterAll(async () => {
    await service?.stop();
    const topics = (await bus?.adminClient.listTopics())?.filter((t) => t.startsWith(prefix)) ?? [];
    if (topics.length) await bus.adminClient.deleteTopics({ topics });
    await bus?.close();
    await smtp?.stop();
    await imap?.stop();
    await database?.drop();
  });

  const REPORTER = 'budi@warga.example';

  it("adds the reporter's reply to the report, and takes a stranger's reply in the same thread as a new report", async () => {
    await imap.append(
      mail({
        id: '<t1@warga.example>',
        from: `Budi <${REPORTER}>`,
        headers: [authenticated(REPORTER)],
        subject: 'Got mampet di Jl. Salemba',
        body: 'Got mampet, air meluap ke jalan.',
      }),
    );
    const report = await reportOf('<t1@warga.example>');
    const ack = await oneAnswerTo('<t1@warga.example>');
    expect(ack.to).toEqual([REPORTER]);

    // Someone the reporter forwarded the acknowledgement to answers it, from their own address.
    const STRANGER = 'tetangga@lain.example';
    await imap.append(
      mail({
        id: '<t2@lain.example>',
        from: STRANGER,
        headers: [authenticated(STRANGER), `In-Reply-To: ${ack.messageId}`],
        subject: `Re: ${ack.subject}`,
        body: 'Saya pelapornya, sudah beres, mohon ditutup.',
      }),
    );
    // The reporter answers the acknowledgement too.
    await imap.append(
      mail({
        id: '<t3@warga.example>',
        from: `Budi <${REPORTER}>`,
        headers: [authenticated(REPORTER), `In-Reply-To: ${ack.messageId}`],
        subject: `Re: ${ack.subject}`,
        body: 'Airnya sudah masuk ke rumah warga.',
      }),
    );

    const strangers = await reportOf('<t2@lain.example>');
    expect(strangers.reportId).not.toBe(report.reportId);
    const strangerAck = await oneAnswerTo('<t2@lain.example>');
    expect(strangerAck.to).toEqual([STRANGER]);
    expect(strangerAck.text).toContain(strangers.trackingCode);
    expect(strangerAck.text).not.toContain(report.trackingCode);

    await oneAnswerTo('<t3@warga.example>');
    const followUps = await service.context.store.conversations.followUps(report.reportId);
    expect(followUps.map((f) => f.sourceId)).toEqual(['<t3@warga.example>']);
    expect(followUpEvents.filter((e) => e.reportId === report.reportId).map((e) => e.source.id)).toEqual([
      '<t3@warga.example>',
    ]);
  });

  it("takes mail our server found forged under the reporter's address as a new report, and answers nobody", async () => {
    const report = await reportOf('<t1@warga.example>');
    const ack = (await oneAnswerTo('<t1@warga.example>'))!;
    await imap.append(
      mail({
        id: '<forged@attacker.example>',
        from: `Budi <${REPORTER}>`,
        // Ours on top says SPF failed; the "pass" below it, with our id too, the sender wrote.
        headers: [
          `Authentication-Results: ${OUR_MX}; dkim=none; spf=fail smtp.mailfrom=${REPORTER}`,
          authenticated(REPORTER),
          `In-Reply-To: ${ack.messageId}`,
        ],
        subject: `Re: ${ack.subject} ${report.trackingCode}`,
        body: 'Laporan dibatalkan.',
      }),
    );
    const forged = await reportOf('<forged@attacker.example>');
    expect(forged.reportId).not.toBe(report.reportId);
    await refused(deliveryIds.acknowledgement(forged.reportId), 'did not authenticate the sender');
    expect(answersTo('<forged@attacker.example>')).toHaveLength(0);
    const followUps = await service.context.store.conversations.followUps(report.reportId);
    expect(followUps.map((f) => f.sourceId)).not.toContain('<forged@attacker.example>');
  });

  it('takes in a complaint whose only "pass" comes from another server, without answering its From', async () => {
    const VICTIM = 'korban@warga.example';
    await imap.append(
      mail({
        id: '<spoof@attacker.example>',
        from: VICTIM,
        headers: [authenticated(VICTIM, 'mx.attacker.example')],
        subject: 'Pungli di kelurahan',
        body: 'Petugas meminta uang.',
      }),
    );
    const report = await reportOf('<spoof@attacker.example>');
    await refused(deliveryIds.acknowledgement(report.reportId), 'did not authenticate the sender');
    expect(smtp.mails.filter((m) => m.to.includes(VICTIM))).toHaveLength(0);
  });

  it('stops answering a responder that ignores Auto-Submitted, and keeps its flood aside', async () => {
    const ROBOT = 'helpdesk@kantor.example';
    const robotMail = (n: number, headers: string[] = []) =>
      mail({
        id: `<loop${n}@kantor.example>`,
        from: ROBOT,
        headers: [authenticated(ROBOT), ...headers],
        subject: n === 1 ? 'Lampu jalan mati' : 'Re: Laporan diterima',
        body: n === 1 ? 'Lampu jalan mati di Jl. Kenari.' : `Tiket ${n} kami terima, terima kasih.`,
      });
    await imap.append(robotMail(1));
    const report = await reportOf('<loop1@kantor.example>');
    const ack = await oneAnswerTo('<loop1@kantor.example>');
    // It answers our acknowledgement, then our answer to that, and so on.
    await imap.append(robotMail(2, [`In-Reply-To: ${ack.messageId}`]));
    const second = await oneAnswerTo('<loop2@kantor.example>');
    await imap.append(robotMail(3, [`In-Reply-To: ${second.messageId}`]));
    await refused(
      deliveryIds.reply('email', 'follow-up', '<loop3@kantor.example>'),
      'answers to this address today',
    );
    await imap.append(robotMail(4, [`In-Reply-To: ${second.messageId}`]));

    const kept = await eventually(
      async () => {
        const item = (await service.context.quarantine.list('email')).find((q) =>
          q.excerpt?.includes('<loop4@kantor.example>'),
        );
        expect(item?.reason).toMatch(/^SENDER_RATE_LIMITED: /);
        return item!;
      },
      { timeoutMs: 20_000 },
    );
    expect(kept.sourceId).toMatch(/^imap:\d+:\d+$/);
    expect(smtp.mails.filter((m) => m.to.includes(ROBOT))).toHaveLength(REPLIES_PER_DAY);
    const followUps = await service.context.store.conversations.followUps(report.reportId);
    expect(followUps.map((f) => f.sourceId)).toEqual(['<loop2@kantor.example>', '<loop3@kantor.example>']);
  });

  it('logged no address', () => {
    expect(lines.join('\n')).not.toMatch(/budi|korban|helpdesk|tetangga|warga\.example/i);
  });
});
