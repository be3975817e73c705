import { PermanentError } from '@aduan/bus';
import nodemailer, { type Transporter } from 'nodemailer';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  /** Our own Message-ID, derived from the delivery id so a resend carries the same one. */
  messageId: string;
  inReplyTo?: string;
  references?: string[];
}

interface SmtpError extends Error {
  code?: string;
  responseCode?: number;
}

/**
 * Sends acknowledgements and notifications over SMTP. It only classifies failures: a 5xx answer
 * (address refused, message rejected) can never succeed → PermanentError; connection trouble
 * and 4xx answers are transient, and the outbox tries again for as long as the outage lasts.
 */
export class MailSender {
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
  ) {
    const url = new URL(smtpUrl);
    const secure = url.protocol === 'smtps:';
    this.transport = nodemailer.createTransport({
      host: url.hostname,
      port: url.port ? Number(url.port) : secure ? 465 : 587,
      secure,
      auth: url.username
        ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) }
        : undefined,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
  }

  /** The bare address of EMAIL_FROM: mail from it is never a complaint (loop guard). */
  static addressOf(from: string): string {
    return (/<([^>]+)>/.exec(from)?.[1] ?? from).trim().toLowerCase();
  }

  /** The domain of EMAIL_FROM, for Message-IDs that are ours. */
  static domainOf(from: string): string {
    const m = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from);
    return m?.[1] ?? 'aduan.localhost';
  }

  async send(mail: OutgoingMail): Promise<string> {
    try {
      const info = await this.transport.sendMail({
        from: this.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        messageId: mail.messageId,
        inReplyTo: mail.inReplyTo,
        references: mail.references?.length ? mail.references : undefined,
        // RFC 3834: marks our replies as automatic, so well-behaved responders do not answer them.
        headers: { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' },
      });
      return info.messageId;
    } catch (err) {
      const e = err as SmtpError;
      if (typeof e.responseCode === 'number' && e.responseCode >= 500 && e.responseCode < 600) {
        throw new PermanentError('SMTP_REJECTED', `SMTP server refused the message (${e.responseCode})`);
      }
      throw new Error(
        `SMTP send failed: ${e.code ?? ''} ${e.responseCode ?? ''} ${e.message}`.replace(/\s+/g, ' ').trim(),
      );
    }
  }

  close(): void {
    this.transport.close();
  }
}
