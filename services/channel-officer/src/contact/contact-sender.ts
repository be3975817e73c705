import { PermanentError, type OutboundSender, type SmsGateway } from '@aduan/channel-sdk';
import type { Transporter } from 'nodemailer';

export const isEmail = (address: string): boolean => address.includes('@');

/**
 * Reaches a citizen who left a phone number (SMS, through the shared gateway contract, which
 * classifies its own refusals) or an e-mail address (SMTP). A medium that is not configured is a
 * permanent failure: retrying cannot make it appear.
 */
export function contactSender(
  sms: SmsGateway | undefined,
  mail: Transporter | undefined,
  from: string,
): OutboundSender {
  return async ({ deliveryId, to, message }) => {
    if (!isEmail(to.address)) {
      if (!sms) throw new PermanentError('SMS_NOT_CONFIGURED', 'SMS_GATEWAY_URL is not set: cannot send SMS');
      const sent = await sms.send(to.address, message.text, deliveryId);
      return sent.providerMessageIds.join(',') || undefined;
    }
    if (!mail) throw new PermanentError('EMAIL_NOT_CONFIGURED', 'SMTP_URL is not set: cannot send e-mail');
    try {
      const info = (await mail.sendMail({
        from,
        to: to.address,
        subject: message.subject,
        text: message.text,
        // Derived from the delivery id: a resend after a lost answer carries the same Message-ID.
        messageId: `<${deliveryId.replace(/[^A-Za-z0-9.-]/g, '.')}@aduan.jakarta.go.id>`,
        headers: { 'Auto-Submitted': 'auto-replied' },
      })) as { messageId?: string };
      return info.messageId;
    } catch (err) {
      const code = (err as { responseCode?: number }).responseCode;
      if (code !== undefined && code >= 500)
        throw new PermanentError('EMAIL_REFUSED', `SMTP server refused the message (${code})`);
      throw err;
    }
  };
}
