import {
  createTestDatabase,
  eventually,
  startServiceProcess,
  startSmtpSink,
  testEnv,
  uniqueTopicPrefix,
  type ServiceProcess,
  type SmtpSink,
  type TestDatabase,
} from '@aduan/testing';
import { Client } from 'pg';
import { startDovecot, type TestMailServer } from './dovecot';

describe('channel-email killed between "report accepted" and "acknowledgement sent"', () => {
  let db: TestDatabase;
  let imap: TestMailServer;
  let smtp: SmtpSink;
  let service: ServiceProcess | undefined;

  beforeAll(async () => {
    [db, imap, smtp] = await Promise.all([
      createTestDatabase('email_crash'),
      startDovecot(),
      startSmtpSink(),
    ]);
  });
  afterAll(async () => {
    await service?.stop();
    await smtp.stop();
    await imap.stop();
    await db.drop();
  });

  it('sends the citizen exactly one acknowledgement after the restart', async () => {
    const env = {
      EMAIL_PORT: '0',
      IMAP_URL: imap.imapUrl,
      SMTP_URL: smtp.url,
      EMAIL_FROM: 'Aduan Jakarta <pengaduan@aduan.test>',
      DATABASE_URL: db.url,
      KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: uniqueTopicPrefix(),
    };
    service = await startServiceProcess('channel-email', env);
    smtp.setDown(true); // the relay is away: the acknowledgement cannot go out yet
    await imap.append(
      [
        'From: Warga <warga.crash@warga.example>',
        'To: Aduan Jakarta <pengaduan@aduan.test>',
        'Subject: Banjir',
        'Message-ID: <crash1@warga.example>',
        'Date: Mon, 05 Jan 2026 10:22:00 +0700',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Banjir setinggi lutut di depan pasar, mohon pompa air.',
        '',
      ].join('\r\n'),
    );
    // The report is on Kafka and a send was tried and refused: the acknowledgement waits in the outbox.
    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    try {
      await eventually(
        async () => {
          const { rows } = await pg.query(
            `SELECT status, attempts FROM channel_delivery WHERE kind = 'acknowledgement'`,
          );
          expect(rows).toEqual([{ status: 'pending', attempts: expect.any(Number) }]);
          expect(rows[0].attempts).toBeGreaterThan(0);
        },
        { timeoutMs: 30_000 },
      );
    } finally {
      await pg.end();
    }

    await service.kill();
    service = undefined;
    smtp.setDown(false);
    service = await startServiceProcess('channel-email', env);

    const toCitizen = () => smtp.mails.filter((m) => m.to[0] === 'warga.crash@warga.example');
    await eventually(() => expect(toCitizen()).toHaveLength(1), { timeoutMs: 30_000 });
    expect(toCitizen()[0]!.inReplyTo).toBe('<crash1@warga.example>');
    expect(toCitizen()[0]!.text).toMatch(/[2-9A-HJKMNP-TV-Z]{5}-[2-9A-HJKMNP-TV-Z]{5}/);
    // Nothing more follows: the mail was not read again and the acknowledgement was sent once.
    await new Promise((r) => setTimeout(r, 2000));
    expect(toCitizen()).toHaveLength(1);
  });
});
