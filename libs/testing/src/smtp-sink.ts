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
  stop(): Promise<void>;
}

/** A real SMTP server in-process that keeps what it receives. */
export async function startSmtpSink(): Promise<SmtpSink> {
  const mails: SunkMail[] = [];
  let down = false;
  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(_auth, _session, cb) {
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
    setDown(d) {
      down = d;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
