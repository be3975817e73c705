import { runChannel, type RunningChannel } from '@aduan/channel-sdk';
import {
  capturedLogger,
  createTestDatabase,
  describeChannelConformance,
  eventually,
  startSmtpSink,
  testEnv,
  uniqueTopicPrefix,
  type ConformanceHarness,
} from '@aduan/testing';
import { email } from '../src/email';
import { citizen, citizenMail as raw, OURS } from './citizen-mail';
import { startDovecot } from './dovecot';

/**
 * Mail is placed in a real Dovecot with APPEND, as a delivering MTA would, and the adapter reads
 * it by itself; a delivery resolves once the adapter's cursor has passed the mail. Replies are
 * read from a real SMTP server. IMAP has no signature to forge: the forged item is a mail that
 * claims our own address, which the adapter must never take in nor answer (a loop or spoofing).
 */
async function harness(): Promise<ConformanceHarness<RunningChannel>> {
  const [db, imap, smtp] = await Promise.all([
    createTestDatabase('email_conformance'),
    startDovecot(),
    startSmtpSink(),
  ]);
  const { logger } = capturedLogger('channel-email');
  const env: NodeJS.ProcessEnv = {
    EMAIL_PORT: '0',
    IMAP_URL: imap.imapUrl,
    SMTP_URL: smtp.url,
    EMAIL_FROM: `Aduan Jakarta <${OURS}>`,
    DATABASE_URL: db.url,
    KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
    KAFKA_TOPIC_PREFIX: uniqueTopicPrefix(),
  };
  const cursorKey = `imap:127.0.0.1:${imap.port}/pengaduan/INBOX`;
  async function place(running: RunningChannel, mail: string): Promise<number> {
    const uid = await imap.append(mail);
    await eventually(async () => {
      const cursor = await running.context.store.cursors.load('email', cursorKey);
      expect(Number(cursor?.split(':')[1])).toBeGreaterThanOrEqual(uid);
    });
    return 200;
  }
  return {
    channel: 'email',
    start: () => runChannel(email, env, logger),
    deliver: (running, id, text) => place(running, raw(id, text)),
    deliverForged: (running, id) =>
      place(running, raw(id, `Palsu ${id}`, { from: `Aduan Jakarta <${OURS}>` })),
    // A date in the year 10000 cannot be written as the event's date-time: never readable.
    deliverUnreadable: (running, id) =>
      place(running, raw(id, `Tanggal aneh ${id}`, { date: 'Sat, 01 Jan 10000 10:00:00 +0000' })),
    placeWhileStopped: async (id, text) => void (await imap.append(raw(id, text))),
    sent: () => smtp.mails.map((m) => ({ to: m.to[0]!, text: m.text })),
    addressOf: citizen,
    providerUp: (up) => smtp.setDown(!up),
    close: async () => {
      await smtp.stop();
      await imap.stop();
      await db.drop();
    },
  };
}

describe('channel-email: IMAP and SMTP on the channel kit', () => {
  describeChannelConformance(harness, { ingress: 'poll' });
});
