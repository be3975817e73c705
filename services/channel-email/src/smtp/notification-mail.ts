import { PermanentError } from '@aduan/bus';
import type { NotificationSender } from '@aduan/channel-sdk';
import { STATE_LABELS } from '@aduan/contracts';
import type { MailSender } from './mail-sender';

const ADDRESS = /^[^\s@<>()",;:]+@[^\s@<>()",;:]+\.[^\s@<>()",;:]+$/;

interface EmailThread {
  messageId?: string | null;
  references?: string[];
}

/**
 * A state change as a mail, threaded under the citizen's original mail (the notification's
 * own thread if it names one, else the conversation's) so it lands in the same conversation as
 * the acknowledgement. The Message-ID comes from the notification id: a resend is the same mail.
 */
export function notificationMailSender(
  sender: MailSender,
  domain: string,
  trackingUrlFor: (code: string) => string,
): NotificationSender {
  return async (n, { deliveryId, conversation }) => {
    const to = (n.recipient?.address ?? '').trim();
    if (!ADDRESS.test(to))
      throw new PermanentError('BAD_RECIPIENT', 'notification recipient is not an e-mail address');
    const thread = (conversation?.thread ?? {}) as EmailThread;
    const inReplyTo = n.recipient?.thread || thread.messageId || undefined;
    const references = [...(thread.references ?? [])];
    if (inReplyTo && !references.includes(inReplyTo)) references.push(inReplyTo);
    const label = STATE_LABELS[n.state];
    return sender.send({
      to,
      subject: `Laporan ${n.trackingCode}: ${label} / Report ${n.trackingCode} update`,
      text: [
        n.message,
        '',
        `Pantau laporan Anda / Follow your report: ${trackingUrlFor(n.trackingCode)}`,
      ].join('\n'),
      messageId: `<notification.${deliveryId}@${domain}>`,
      inReplyTo,
      references: references.slice(-20),
    });
  };
}
