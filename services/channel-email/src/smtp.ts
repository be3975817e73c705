import { PermanentError, type SendRequest } from '@aduan/channel-sdk';
import nodemailer, { type Transporter } from 'nodemailer';
import { ADDRESS } from './mail/incoming-mail';
import { UNVERIFIED } from './mail/sender-trust';
import { messageIdFor } from './mail/to-inbound';
import { passwordSignIn, type Credentials, type SignIn } from './sign-in';

/** Our own record of the thread to answer, or the Message-ID a notification names itself. */
const threadOf = (t = ''): { refs: string[]; subject?: string; hold?: string } =>
  t.startsWith('{') ? JSON.parse(t) : { refs: t.split(/\s+/).filter(Boolean) };

/** Refuses, for good, a recipient whose mail our server did not authenticate (mail/sender-trust.ts). */
export function assertAnswerable(to: SendRequest['to']): void {
  if (threadOf(to.thread).hold === UNVERIFIED)
    throw new PermanentError(
      'SENDER_NOT_VERIFIED',
      'not answered: our mail server did not authenticate the sender (DKIM and SPF)',
    );
}

/** Nodemailer's auth option: XOAUTH2 with the given access token, or a password. */
const authOf = (c: Credentials | undefined) =>
  !c ? undefined : 'accessToken' in c ? { type: 'OAuth2' as const, ...c } : c;

/**
 * What the outbox sends, over SMTP, threaded under the citizen's own mail. A 5xx answer (address
 * refused, message rejected) can never succeed → PermanentError; connection trouble, 4xx
 * answers and a refused sign-in (a password changed, a token revoked) are tried again by the
 * outbox for as long as the outage lasts.
 */
export function smtpSender(
  smtpUrl: string,
  from: string,
  domain: string,
  trackingUrl: (reportId: string) => string,
  signIn: SignIn = passwordSignIn(new URL(smtpUrl)),
) {
  const url = new URL(smtpUrl);
  const secure = url.protocol === 'smtps:';
  // One transport per set of credentials: a renewed access token gets a new one.
  let current: { key: string; transport: Transporter } | undefined;
  const transportFor = (credentials: Credentials | undefined): Transporter => {
    const key = credentials && 'accessToken' in credentials ? credentials.accessToken : '';
    if (current?.key === key) return current.transport;
    current?.transport.close();
    const transport = nodemailer.createTransport({
      host: url.hostname,
      port: url.port ? Number(url.port) : secure ? 465 : 587,
      secure,
      auth: authOf(credentials),
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
    current = { key, transport };
    return transport;
  };

  async function send({ deliveryId, kind, reportId, to, message }: SendRequest): Promise<string> {
    if (!ADDRESS.test(to.address))
      throw new PermanentError('BAD_RECIPIENT', 'recipient is not an e-mail address');
    assertAnswerable(to);
    const { refs, subject } = threadOf(to.thread);
    const credentials = await signIn.credentials();
    try {
      const info = await transportFor(credentials).sendMail({
        from,
        to: to.address,
        subject:
          kind === 'reply' && subject
            ? `Re: ${subject.replace(/^(re|balas):\s*/i, '')}`.slice(0, 300)
            : message.subject,
        text:
          kind === 'notification' && reportId
            ? `${message.text}\n\nPantau laporan Anda / Follow your report: ${trackingUrl(reportId)}`
            : message.text,
        // From the delivery id, so a resend after an interrupted attempt is the same mail.
        messageId: messageIdFor(kind, deliveryId, domain),
        inReplyTo: refs.at(-1),
        references: refs.length ? refs : undefined,
        // RFC 3834: marks our replies as automatic, so well-behaved responders do not answer them.
        headers: { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' },
      });
      return info.messageId;
    } catch (err) {
      const e = err as Error & { code?: string; responseCode?: number };
      if (e.code === 'EAUTH') {
        if (credentials) signIn.refused(credentials);
        throw new Error(`SMTP server refused the sign-in (${e.responseCode ?? 'EAUTH'})`);
      }
      if (e.responseCode && e.responseCode >= 500 && e.responseCode < 600)
        throw new PermanentError('SMTP_REJECTED', `SMTP server refused the message (${e.responseCode})`);
      throw new Error(
        `SMTP send failed: ${e.code ?? ''} ${e.responseCode ?? ''} ${e.message}`.replace(/\s+/g, ' ').trim(),
      );
    }
  }

  return { send, close: () => current?.transport.close() };
}
