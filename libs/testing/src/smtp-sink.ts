import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface SunkMail {
  to: string[];
  messageId: string | undefined;
  inReplyTo: string | undefined;
  references: string[];
  subject: string;
  text: string;
  autoSubmitted: string | undefined;
}

export interface SmtpSink {
  url: string;
  port: number;
  mails: SunkMail[];
  /** While down, every mail is refused with 421 (service not available), as a stopped relay does. */
  setDown(down: boolean): void;
  /** Every successful AUTH, in order: its mechanism (PLAIN, LOGIN, XOAUTH2) and user. */
  logins: Array<{ method: string; user: string }>;
  stop(): Promise<void>;
}

export interface SmtpSinkOptions {
  /**
   * Offers AUTH XOAUTH2 and accepts a bearer token only when this says it is good for the user,
   * as Gmail's and Microsoft 365's SMTP servers do; a refused token gets 535.
   */
  acceptsToken?: (user: string, accessToken: string) => boolean;
}

/** A real SMTP server in-process that keeps what it receives. */
export async function startSmtpSink(opts: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const mails: SunkMail[] = [];
  const logins: SmtpSink['logins'] = [];
  let down = false;
  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    ...(opts.acceptsToken && { authMethods: ['PLAIN', 'LOGIN', 'XOAUTH2'] }),
    onAuth(auth, _session, cb) {
      if (auth.method === 'XOAUTH2' && !opts.acceptsToken?.(auth.username ?? '', auth.accessToken ?? '')) {
        const err = new Error('Username and Password not accepted') as Error & { responseCode: number };
        err.responseCode = 535;
        return cb(err);
      }
      logins.push({ method: auth.method, user: auth.username ?? '' });
      cb(null, { user: 'relay' });
    },
    onMailFrom(_address, _session, cb) {
      if (down) {
        const err = new Error('Service not available, try again later') as Error & { responseCode: number };
        err.responseCode = 421;
        return cb(err);
      }
      cb();
    },
    onData(stream, session, cb) {
      simpleParser(stream)
        .then((m) => {
          const refs = m.references;
          mails.push({
            to: session.envelope.rcptTo.map((r) => r.address),
            messageId: m.messageId,
            inReplyTo: m.inReplyTo,
            references: Array.isArray(refs) ? refs : refs ? [refs] : [],
            subject: m.subject ?? '',
            text: m.text ?? '',
            autoSubmitted: m.headers.get('auto-submitted') as string | undefined,
          });
          cb();
        })
        .catch((err: Error) => cb(err));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as { port: number }).port;
  return {
    url: `smtp://relay:secret@127.0.0.1:${port}`,
    port,
    mails,
    logins,
    setDown(d) {
      down = d;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
