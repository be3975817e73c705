import {
  deliveryIds,
  MediaRefused,
  reportIdFor,
  type InboundMessage,
  type MediaStore,
} from '@aduan/channel-sdk';
import type { Attachment } from '@aduan/contracts';
import { MAX_TEXT, trackingCodesInSubject, type IncomingMail, type MailAttachment } from './incoming-mail';

const MAX_ATTACHMENTS = 20;

/** Deterministic, so a resend after an interrupted attempt carries the same Message-ID. */
export function messageIdFor(kind: string, deliveryId: string, domain: string): string {
  const id = (kind === 'notification' ? `notification.${deliveryId}` : deliveryId)
    .replace(/[^A-Za-z0-9-]+/g, '.')
    .replace(/^\.+|\.+$/g, '');
  return `<${id}@${domain}>`;
}

/** Keeps what the media store accepts; the rest is dropped with a note, the mail still counts. */
async function keepAttachments(
  all: MailAttachment[],
  media: MediaStore,
): Promise<{ attachments: Attachment[]; notes: string[] }> {
  const attachments: Attachment[] = [];
  const notes: string[] = [];
  const note = (reason: string, a: MailAttachment) =>
    notes.push(
      `[Lampiran tidak disimpan / attachment not kept: ${reason}: ${a.name ?? 'tanpa nama'} (${a.contentType}, ${a.size} bytes)]`,
    );
  for (const a of all) {
    if (attachments.length >= MAX_ATTACHMENTS) {
      note('terlalu banyak lampiran / too many attachments', a);
      continue;
    }
    try {
      const { url, contentType, size, name } = await media.put(a.content, {
        declaredType: a.contentType,
        filename: a.name,
      });
      attachments.push({ url, contentType, size, ...(name ? { name } : {}) });
    } catch (err) {
      if (!(err instanceof MediaRefused)) throw err; // the database: the mail is read again
      note(err.message, a);
    }
  }
  return { attachments, notes };
}

/**
 * A mail as the conversation rules read it. Threading: a reply names our acknowledgement or an
 * earlier mail of the thread in In-Reply-To/References; the Message-IDs of the replies this mail
 * will get are known in advance, so they are linked to its report with its own Message-ID.
 */
export async function toInbound(
  mail: IncomingMail,
  fallbackId: string,
  media: MediaStore,
  domain: string,
): Promise<InboundMessage> {
  const sourceId = mail.messageId ?? fallbackId;
  const { attachments, notes } = await keepAttachments(mail.attachments, media);
  const body = mail.text || mail.subject || '(Tanpa teks; lihat lampiran / No text; see attachments)';
  // What our replies thread with: the References chain (newest last) and the subject answered.
  const thread = {
    refs: mail.messageId ? [...mail.references, mail.messageId].slice(-20) : [],
    subject: mail.subject,
  };
  return {
    channel: 'email',
    sourceId,
    // Without an address nobody can be answered and nothing should join this sender's reports.
    from: mail.fromAddress ?? sourceId,
    reporter: { email: mail.fromAddress, name: mail.fromName, anonymous: !mail.fromAddress },
    replyTo: { address: mail.fromAddress ?? '', thread: JSON.stringify(thread) },
    // Notes alone (every attachment refused) are nothing to act on: the citizen is asked for details.
    text: mail.text || attachments.length ? [body, ...notes].join('\n\n').slice(0, MAX_TEXT) : '',
    followUpText:
      [mail.text, ...notes].filter(Boolean).join('\n\n').slice(0, MAX_TEXT) || '(lampiran / attachments)',
    ...(mail.subject ? { subject: mail.subject } : {}),
    attachments,
    receivedAt: mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date : new Date(),
    inReplyTo: mail.threadKeys,
    quotedTrackingCodes: trackingCodesInSubject(mail.subject),
    threadKeys: [
      ...(mail.messageId ? [mail.messageId] : []),
      messageIdFor('acknowledgement', deliveryIds.acknowledgement(reportIdFor('email', sourceId)), domain),
      messageIdFor('reply', deliveryIds.reply('email', 'follow-up', sourceId), domain),
    ],
    ...(mail.messageId ? { eventThread: mail.messageId } : {}),
  };
}
