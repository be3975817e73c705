import {
  askForDetailsMessage,
  deliveryIds,
  followUpReceivedMessage,
  normalizeTrackingCode,
  reportIdFor,
  type Acknowledgements,
  type ChannelMessage,
  type ChannelStore,
  type ComplaintIntake,
  type FollowUpIntake,
  type Receipt,
  type ThreadMatch,
} from '@aduan/channel-sdk';
import type { Attachment } from '@aduan/contracts';
import type { Logger, Metrics } from '@aduan/platform';
import type { AttachmentStorage } from '../attachments/attachment-storage';
import type { MailboxMessage } from '../imap/mailbox-watcher';
import type { MailSender } from '../smtp/mail-sender';
import { parseIncomingMail, type IncomingMail, type MailAttachment } from './incoming-mail';

export interface AttachmentPolicy {
  maxBytes: number;
  /** Exact types or `type/*`. */
  types: readonly string[];
}

export interface MailIntakeDeps {
  intake: ComplaintIntake;
  followUps: FollowUpIntake;
  store: ChannelStore;
  acks: Acknowledgements;
  /** Undefined when SMTP_URL is unset: mail is still taken in, nobody is answered. */
  sender: MailSender | undefined;
  storage: AttachmentStorage;
  policy: AttachmentPolicy;
  /** Our own address: mail from it is never a complaint (loop guard). */
  ownAddress: string;
  messageIdDomain: string;
  trackingUrlFor(trackingCode: string): string;
  logger: Logger;
  metrics: Metrics;
}

export type MailOutcome = 'report' | 'follow-up' | 'automated' | 'empty' | 'own-mail';

const CODE_IN_SUBJECT = /(?<![A-Z0-9])([2-9A-HJKMNP-TV-Z]{5})[-\s]?([2-9A-HJKMNP-TV-Z]{5})(?![A-Z0-9])/gi;
const MAX_ATTACHMENTS = 20;

function codeKey(trackingCode: string): string {
  return `code:${trackingCode}`;
}

/** Tracking codes a citizen put (or kept, replying to us) in the subject. */
export function trackingCodesInSubject(subject: string): string[] {
  const codes: string[] = [];
  for (const m of subject.matchAll(CODE_IN_SUBJECT)) {
    const code = normalizeTrackingCode(`${m[1]}${m[2]}`);
    if (code) codes.push(code);
  }
  return codes;
}

function typeAllowed(contentType: string, types: readonly string[]): boolean {
  return types.some((t) => (t.endsWith('/*') ? contentType.startsWith(t.slice(0, -1)) : contentType === t));
}

function describe(a: MailAttachment): string {
  return `${a.name ?? 'tanpa nama'} (${a.contentType}, ${a.size} bytes)`;
}

/**
 * Turns one mail into a new report, a follow-up of an open report, a request for details, or
 * nothing (automated mail). Every step is safe to repeat: a mail read twice maps to the same
 * report id, the same follow-up row and the same delivery ids, so nobody is answered twice.
 */
export class MailIntake {
  constructor(private readonly deps: MailIntakeDeps) {}

  async handle(message: MailboxMessage): Promise<MailOutcome> {
    const mail = await parseIncomingMail(message.source);
    const log = this.deps.logger.child({ uid: message.uid });
    const outcome = await this.route(mail, message, log);
    this.deps.metrics
      .counter('aduan_email_messages_total', 'Mails read from the mailbox, by outcome', ['outcome'])
      .inc({ outcome });
    return outcome;
  }

  private async route(mail: IncomingMail, message: MailboxMessage, log: Logger): Promise<MailOutcome> {
    if (mail.automated) {
      log.info('automated mail ignored, no reply', { reason: mail.automated });
      return 'automated';
    }
    if (mail.fromAddress && mail.fromAddress === this.deps.ownAddress) {
      log.info('mail from our own address ignored');
      return 'own-mail';
    }
    const sourceId = mail.messageId ?? `imap:${message.uidValidity}:${message.uid}`;
    const ownReportId = reportIdFor('email', sourceId);
    const keys = [...mail.threadKeys, ...trackingCodesInSubject(mail.subject).map(codeKey)];
    const match = await this.deps.store.conversations.findByThread('email', keys);
    const followUpOf = match && match.reportId !== ownReportId ? match : null;

    const { kept, dropped } = this.sortAttachments(mail.attachments);
    if (!mail.text && !kept.length) {
      await this.reply(mail, sourceId, 'ask-details', askForDetailsMessage(), log);
      log.info('mail without text or attachment: asked for details', { dropped: dropped.length });
      return 'empty';
    }
    const reportId = followUpOf?.reportId ?? ownReportId;
    const attachments = await this.store(reportId, kept);
    const notes = dropped.map(
      (d) => `[Lampiran tidak disimpan / attachment not kept: ${d.reason}: ${describe(d.attachment)}]`,
    );

    if (followUpOf) {
      await this.followUp(mail, sourceId, followUpOf, attachments, notes, log);
      return 'follow-up';
    }
    await this.newReport(mail, sourceId, attachments, notes, log);
    return 'report';
  }

  private async newReport(
    mail: IncomingMail,
    sourceId: string,
    attachments: Attachment[],
    notes: string[],
    log: Logger,
  ): Promise<void> {
    const body = mail.text || mail.subject || '(Tanpa teks; lihat lampiran / No text; see attachments)';
    const text = [body, ...notes].join('\n\n').slice(0, 100_000);
    const receipt = await this.deps.intake.submit({
      channel: 'email',
      sourceId,
      thread: mail.messageId,
      receivedAt: mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date : undefined,
      reporter: { email: mail.fromAddress, name: mail.fromName, anonymous: !mail.fromAddress },
      text,
      subject: mail.subject || undefined,
      attachments,
    });
    const ackId = this.messageId('ack', receipt.reportId);
    // Linked before the acknowledgement leaves, so a reply can never outrun its thread.
    await this.deps.store.conversations.linkThread(
      'email',
      [mail.messageId ?? '', ackId, codeKey(receipt.trackingCode)],
      receipt,
    );
    if (mail.fromAddress) {
      await this.deps.store.conversations.open({
        channel: 'email',
        address: mail.fromAddress,
        reportId: receipt.reportId,
        trackingCode: receipt.trackingCode,
        thread: {
          messageId: mail.messageId ?? null,
          references: [...mail.references, ...(mail.messageId ? [mail.messageId] : [])],
        },
      });
    }
    log.info('mail became a report', {
      reportId: receipt.reportId,
      attachments: attachments.length,
      droppedAttachments: notes.length,
    });
    await this.acknowledge(mail, receipt, ackId, log);
  }

  private async acknowledge(mail: IncomingMail, receipt: Receipt, ackId: string, log: Logger): Promise<void> {
    const sender = this.deps.sender;
    const to = mail.fromAddress;
    if (!sender || !to) return;
    const outcome = await this.deps.acks.sendOnce('email', receipt, (m) =>
      sender.send({ to, subject: m.subject, text: m.text, messageId: ackId, ...this.threading(mail) }),
    );
    log.info(outcome.status === 'sent' ? 'acknowledgement sent' : 'acknowledgement was already sent', {
      reportId: receipt.reportId,
    });
  }

  private async followUp(
    mail: IncomingMail,
    sourceId: string,
    report: ThreadMatch,
    attachments: Attachment[],
    notes: string[],
    log: Logger,
  ): Promise<void> {
    const text = [mail.text, ...notes].filter(Boolean).join('\n\n') || '(lampiran / attachments)';
    // On Kafka before the citizen hears "added to your report", so officers see what we promised.
    const { fresh } = await this.deps.followUps.submit({
      channel: 'email',
      sourceId,
      reportId: report.reportId,
      text,
      attachments,
      receivedAt: mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date : undefined,
      ...(mail.messageId ? { thread: mail.messageId } : {}),
    });
    if (mail.messageId) await this.deps.store.conversations.linkThread('email', [mail.messageId], report);
    if (mail.fromAddress) {
      await this.deps.store.conversations.touch(
        'email',
        mail.fromAddress,
        { references: [...mail.references, ...(mail.messageId ? [mail.messageId] : [])] },
        new Date(),
        report.reportId,
      );
    }
    log.info('mail attached to its open report', {
      reportId: report.reportId,
      repeat: !fresh,
      attachments: attachments.length,
    });
    const trackingUrl = this.deps.trackingUrlFor(report.trackingCode);
    await this.reply(
      mail,
      sourceId,
      'follow-up',
      followUpReceivedMessage({ trackingCode: report.trackingCode, trackingUrl }),
      log,
      report.reportId,
    );
  }

  private async reply(
    mail: IncomingMail,
    sourceId: string,
    purpose: string,
    message: ChannelMessage,
    log: Logger,
    reportId?: string,
  ): Promise<void> {
    const sender = this.deps.sender;
    const to = mail.fromAddress;
    if (!sender || !to) return;
    const deliveryId = deliveryIds.reply('email', purpose, sourceId);
    const messageId = this.messageId(purpose, deliveryId);
    const subject = mail.subject
      ? `Re: ${mail.subject.replace(/^(re|balas):\s*/i, '')}`.slice(0, 300)
      : message.subject;
    const outcome = await this.deps.acks.replyOnce(
      'email',
      deliveryId,
      message,
      (m) => sender.send({ to, subject, text: m.text, messageId, ...this.threading(mail) }),
      reportId,
    );
    log.info(outcome.status === 'sent' ? 'reply sent' : 'reply was already sent', { purpose });
  }

  private threading(mail: IncomingMail): { inReplyTo?: string; references?: string[] } {
    if (!mail.messageId) return {};
    return { inReplyTo: mail.messageId, references: [...mail.references, mail.messageId].slice(-20) };
  }

  /** Deterministic, so a resend after an interrupted attempt carries the same Message-ID. */
  private messageId(kind: string, id: string): string {
    return `<${kind}.${id.replace(/[^A-Za-z0-9.-]/g, '.')}@${this.deps.messageIdDomain}>`;
  }

  private sortAttachments(all: MailAttachment[]): {
    kept: MailAttachment[];
    dropped: Array<{ attachment: MailAttachment; reason: string }>;
  } {
    const kept: MailAttachment[] = [];
    const dropped: Array<{ attachment: MailAttachment; reason: string }> = [];
    for (const a of all) {
      if (a.size > this.deps.policy.maxBytes)
        dropped.push({
          attachment: a,
          reason: `lebih dari ${this.deps.policy.maxBytes} bytes / over the size limit`,
        });
      else if (!typeAllowed(a.contentType, this.deps.policy.types))
        dropped.push({ attachment: a, reason: 'jenis berkas ditolak / file type refused' });
      else if (kept.length >= MAX_ATTACHMENTS)
        dropped.push({ attachment: a, reason: 'terlalu banyak lampiran / too many attachments' });
      else kept.push(a);
    }
    return { kept, dropped };
  }

  private async store(reportId: string, kept: MailAttachment[]): Promise<Attachment[]> {
    const out: Attachment[] = [];
    for (const a of kept) {
      const url = await this.deps.storage.put({
        reportId,
        contentType: a.contentType,
        name: a.name,
        content: a.content,
      });
      out.push({ url, contentType: a.contentType, size: a.size, ...(a.name ? { name: a.name } : {}) });
    }
    return out;
  }
}
