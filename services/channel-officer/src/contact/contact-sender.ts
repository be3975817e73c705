import { PermanentError } from '@aduan/bus';
import { SmsSendError, type ChannelMessage, type SmsGateway } from '@aduan/channel-sdk';
import type { Transporter } from 'nodemailer';

export type ContactKind = 'sms' | 'email';

export function contactKindOf(address: string): ContactKind {
  return address.includes('@') ? 'email' : 'sms';
}

/**
 * Reaches a citizen who left a phone number (SMS, through the shared gateway contract) or an
 * e-mail address (SMTP). A medium that is not configured is a permanent failure: retrying
 * cannot make it appear.
 */
export class ContactSender {
  constructor(
    private readonly sms: SmsGateway | undefined,
    private readonly mail: Transporter | undefined,
    private readonly from: string,
  ) {}

  can(kind: ContactKind): boolean {
    return kind === 'sms' ? Boolean(this.sms) : Boolean(this.mail);
  }

  async send(address: string, message: ChannelMessage, deliveryId: string): Promise<string | undefined> {
    return contactKindOf(address) === 'email'
      ? this.email(address, message, deliveryId)
      : this.text(address, message, deliveryId);
  }

  private async text(to: string, message: ChannelMessage, reference: string): Promise<string | undefined> {
    if (!this.sms)
      throw new PermanentError('SMS_NOT_CONFIGURED', 'SMS_GATEWAY_URL is not set: cannot send SMS');
    try {
      const sent = await this.sms.send(to, message.text, reference);
      return sent.providerMessageIds.join(',') || undefined;
    } catch (err) {
      if (err instanceof SmsSendError && err.permanent) throw new PermanentError('SMS_REFUSED', err.message);
      throw err;
    }
  }

  private async email(to: string, message: ChannelMessage, deliveryId: string): Promise<string | undefined> {
    if (!this.mail)
      throw new PermanentError('EMAIL_NOT_CONFIGURED', 'SMTP_URL is not set: cannot send e-mail');
    try {
      const info = (await this.mail.sendMail({
        from: this.from,
        to,
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
  }
}
