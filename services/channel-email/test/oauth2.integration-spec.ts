import { EventBus } from '@aduan/bus';
import type { RunningChannel } from '@aduan/channel-sdk';
import type { ComplaintReceived } from '@aduan/contracts';
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
import { citizenMail as mail } from './citizen-mail';
import { startDovecot, type TestMailServer } from './dovecot';
import { startTokenServer, type TokenServer } from './token-server';

/**
 * A city mailbox that accepts only OAuth2 bearer tokens, as Google Workspace and Microsoft 365
 * do: a real Dovecot whose oauth2 passdb asks a local authorisation server whether a token is
 * good (XOAUTH2 only, no password for the adapter), an SMTP server that does the same, and the
 * adapter renewing its tokens from the refresh token at that server's token endpoint.
 */
describe('channel-email signed in with OAuth2 (XOAUTH2) to a real Dovecot and SMTP server', () => {
  const prefix = uniqueTopicPrefix();
  const { logger, lines } = capturedLogger('channel-email');
  let auth: TokenServer;
  let imap: TestMailServer;
  let smtp: SmtpSink;
  let database: TestDatabase;
  let bus: EventBus;
  let received: ComplaintReceived[];
  let service: RunningChannel;
  /** Every token the SMTP server was shown, and whether it took it. */
  const smtpTokens: Array<{ token: string; ok: boolean }> = [];

  const reportOf = (id: string) => received.find((e) => e.source.id === `<${id}@warga.example>`);
  const ackOf = (id: string) => smtp.mails.filter((m) => m.inReplyTo === `<${id}@warga.example>`);
  const takenIn = (id: string, timeoutMs = 20_000) =>
    eventually(
      () => {
        expect(reportOf(id)).toBeDefined();
        expect(ackOf(id)).toHaveLength(1);
      },
      { timeoutMs },
    );
  const readiness = async () => {
    const res = await fetch(`http://127.0.0.1:${service.port}/health/ready`);
    return { status: res.status, text: await res.text() };
  };

  beforeAll(async () => {
    auth = await startTokenServer('pengaduan');
    imap = await startDovecot({ oauth2IntrospectionUrl: auth.introspectionUrl });
    smtp = await startSmtpSink({
      acceptsToken: (user, token) => {
        const ok = auth.active(user, token);
        smtpTokens.push({ token, ok });
        return ok;
      },
    });
    database = await createTestDatabase('channel_email_oauth2');
    bus = new EventBus({
      brokers: testEnv.kafkaBrokers,
      clientId: 'email-oauth2-test',
      source: '/aduan/test',
      logger: capturedLogger('t').logger,
      topicPrefix: prefix,
      partitions: 1,
    });
    await bus.connect();
    await bus.ensureTopics(['aduan.complaint.received.v1']);
    received = await collectEvents(bus, 'aduan.complaint.received.v1');
    auth.setLifetime(4);
    service = await startChannelEmail(
      {
        EMAIL_PORT: '0',
        // The user only: the access token signs in.
        IMAP_URL: `imap://${imap.user}@127.0.0.1:${imap.port}/INBOX`,
        SMTP_URL: `smtp://${imap.user}@127.0.0.1:${smtp.port}`,
        EMAIL_FROM: 'Aduan Jakarta <pengaduan@aduan.test>',
        EMAIL_RECONNECT_MAX_MS: '2000',
        EMAIL_OAUTH2_PROVIDER: 'google',
        EMAIL_OAUTH2_CLIENT_ID: auth.clientId,
        EMAIL_OAUTH2_CLIENT_SECRET: auth.clientSecret,
        EMAIL_OAUTH2_REFRESH_TOKEN: auth.refreshToken,
        EMAIL_OAUTH2_TOKEN_URL: auth.googleTokenUrl,
        DATABASE_URL: database.url,
        KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
        KAFKA_TOPIC_PREFIX: prefix,
        KAFKA_TOPIC_PARTITIONS: '1',
        TRACKING_CODE_SECRET: 'email-oauth2-test-secret',
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
    await auth?.stop();
    await database?.drop();
    // Dovecot, the SMTP sink, a service and Kafka topics to take down: more than a minute on a
    // machine that runs other suites beside this one.
  }, 120_000);

  it('reads the mailbox and answers the citizen, signed in with a token it got from the refresh token', async () => {
    await imap.append(mail('o1', 'Jalan berlubang di Jl. Kramat Raya.'));
    await takenIn('o1');

    expect(auth.grants[0]).toEqual({
      path: '/token',
      form: {
        grant_type: 'refresh_token',
        refresh_token: auth.refreshToken,
        client_id: auth.clientId,
        client_secret: auth.clientSecret,
      },
    });
    expect(await imap.log()).toMatch(/Login: user=<pengaduan>, method=XOAUTH2/);
    expect(smtp.logins).toEqual([{ method: 'XOAUTH2', user: 'pengaduan' }]);
    expect(smtpTokens).toEqual([{ token: expect.any(String), ok: true }]);
    expect(auth.issued).toContain(smtpTokens[0]!.token);
    const ready = await readiness();
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.text).checks.oauth2).toEqual({ status: 'ok' });
  });

  it('renews the token before it expires, so a new session signs in without being refused', async () => {
    // Tokens live 4 s here (beforeAll): renewed at three quarters of that, on its own.
    const renewedFrom = auth.issued.length;
    await eventually(() => expect(auth.issued.length).toBeGreaterThanOrEqual(renewedFrom + 2), {
      timeoutMs: 15_000,
    });
    expect(auth.active('pengaduan', auth.issued.at(-1)!)).toBe(true);
    expect((await readiness()).status).toBe(200);

    await imap.kick();
    await imap.append(mail('o2', 'Sampah menumpuk di Jl. Salemba.'));
    await takenIn('o2');
    expect(await imap.log()).not.toMatch(/auth failed/);
    // Long after the first token ran out, mail is still read and answered.
    expect(auth.active('pengaduan', auth.issued[0]!)).toBe(false);
    expect(smtpTokens.every((t) => t.ok)).toBe(true);
  }, 30_000);

  it('renews at once when the SMTP or the IMAP server refuses a token that expired early', async () => {
    // The adapter gets a token it believes good for an hour, which the authorisation server
    // then ends (revoked, or the clocks disagree).
    auth.setLifetime(3600);
    const before = auth.issued.length;
    await eventually(() => expect(auth.issued.length).toBeGreaterThan(before), { timeoutMs: 10_000 });
    const early = auth.issued.at(-1)!;
    auth.expireAll();

    // The open IMAP session reads on; the acknowledgement is refused once, then sent.
    await imap.append(mail('o3', 'Lampu jalan mati di Cikini.'));
    await takenIn('o3', 30_000);
    const shown = smtpTokens.slice(smtpTokens.findIndex((t) => t.token === early));
    expect(shown[0]).toEqual({ token: early, ok: false });
    expect(shown.at(-1)).toEqual({ token: auth.issued.at(-1), ok: true });

    // A new IMAP session with an expired token is refused by Dovecot; the adapter renews and reads on.
    auth.expireAll();
    const issued = auth.issued.length;
    await imap.kick();
    await imap.append(mail('o4', 'Got mampet di Jl. Cikini.'));
    await takenIn('o4', 30_000);
    expect(await imap.log()).toMatch(/auth failed, \d+ attempts.*method=XOAUTH2/);
    expect(auth.issued.length).toBeGreaterThan(issued);
  }, 60_000);

  it('is not ready with the reason while the token cannot be renewed, and reads on by itself once it can', async () => {
    auth.setRefusing(true);
    try {
      // The session ends and the last token runs out: signing in again needs a renewal, refused.
      auth.expireAll();
      await imap.kick();
      const ready = await eventually(
        async () => {
          const r = await readiness();
          expect(r.status).toBe(503);
          expect(JSON.parse(r.text).checks.oauth2.status).toBe('failing');
          return r.text;
        },
        { timeoutMs: 10_000 },
      );
      expect(JSON.parse(ready).checks.oauth2).toEqual({
        status: 'failing',
        error: expect.stringMatching(/invalid_grant \(Token has been expired or revoked\.\)/),
      });
      expect(ready).not.toContain(auth.refreshToken);
      expect(ready).not.toContain(auth.clientSecret);

      // The mail waits in the mailbox; the process serves on.
      await imap.append(mail('o5', 'Pohon tumbang menutup jalan di Menteng.'));
      await new Promise((r) => setTimeout(r, 3000));
      expect(reportOf('o5')).toBeUndefined();
      expect((await fetch(`http://127.0.0.1:${service.port}/health/live`)).status).toBe(200);
    } finally {
      auth.setRefusing(false);
    }
    await takenIn('o5', 30_000);
    await eventually(async () => expect((await readiness()).status).toBe(200));
  }, 60_000);

  it('never wrote a token, the refresh token or the client secret to its logs', () => {
    const all = lines.join('\n');
    expect(all).toContain('OAuth2 access token renewed');
    expect(all).toContain('invalid_grant');
    for (const secret of [auth.refreshToken, auth.clientSecret, ...auth.issued])
      expect(all).not.toContain(secret);
  });
});
