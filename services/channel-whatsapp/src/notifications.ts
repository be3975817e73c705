import { PermanentError } from '@aduan/bus';
import { SmsSendError, type NotificationSender, type SmsGateway } from '@aduan/channel-sdk';

export interface Senders {
  whatsapp: (to: string, text: string, phoneNumberId: string | undefined) => Promise<string | undefined>;
  sms: SmsGateway | undefined;
}

/**
 * Delivers a notification on the channel the citizen used. The WhatsApp number that received
 * the report sends its notifications too, so the citizen sees one conversation.
 */
export function notificationSender(
  senders: Senders,
  defaultPhoneNumberId: string | undefined,
): NotificationSender {
  return async (n, { conversation, deliveryId }) => {
    const to = n.recipient?.address;
    if (!to) throw new PermanentError('NO_RECIPIENT', 'notification names no recipient');
    if (n.channel === 'sms') return sendSms(senders.sms, to, n.message, deliveryId);
    const fromThread = conversation?.thread['phoneNumberId'];
    const phoneNumberId =
      typeof fromThread === 'string' ? fromThread : (n.recipient?.thread ?? defaultPhoneNumberId);
    return senders.whatsapp(to, n.message, phoneNumberId);
  };
}

export async function sendSms(
  gateway: SmsGateway | undefined,
  to: string,
  text: string,
  reference: string,
): Promise<string | undefined> {
  if (!gateway) throw new PermanentError('SMS_NOT_CONFIGURED', 'SMS_GATEWAY_URL is not set: cannot send SMS');
  try {
    const sent = await gateway.send(to, text, reference);
    return sent.providerMessageIds.join(',') || undefined;
  } catch (err) {
    if (err instanceof SmsSendError && err.permanent) throw new PermanentError('SMS_REFUSED', err.message);
    throw err;
  }
}
