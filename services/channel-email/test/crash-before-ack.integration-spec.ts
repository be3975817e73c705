import {
  createTestDatabase,
  expectOneReplyAcrossKill,
  startSmtpSink,
  testEnv,
  uniqueTopicPrefix,
} from '@aduan/testing';
import { startDovecot } from './dovecot';

describe('channel-email killed between "report accepted" and "acknowledgement sent"', () => {
  it('sends the citizen exactly one acknowledgement after the restart', async () => {
    const [db, imap, smtp] = await Promise.all([
      createTestDatabase('email_crash'),
      startDovecot(),
      startSmtpSink(),
    ]);
    try {
      const ack = await expectOneReplyAcrossKill({
        service: 'channel-email',
        env: {
          EMAIL_PORT: '0',
          IMAP_URL: imap.imapUrl,
          SMTP_URL: smtp.url,
          EMAIL_FROM: 'Aduan Jakarta <pengaduan@aduan.test>',
          DATABASE_URL: db.url,
          KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
          KAFKA_TOPIC_PREFIX: uniqueTopicPrefix(),
        },
        providerUp: (up) => smtp.setDown(!up),
        deliver: async () => {
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
        },
        // The mail is not read again after the restart either: one acknowledgement, threaded.
        delivered: () => smtp.mails.filter((m) => m.to[0] === 'warga.crash@warga.example'),
      });
      expect(ack.inReplyTo).toBe('<crash1@warga.example>');
      expect(ack.text).toMatch(/[2-9A-HJKMNP-TV-Z]{5}-[2-9A-HJKMNP-TV-Z]{5}/);
    } finally {
      await smtp.stop();
      await imap.stop();
      await db.drop();
    }
  }, 150_000); // two cold starts of a whole service process
});
