/**
 * Every message to a citizen has a delivery id that is the same however often its cause is
 * replayed (a re-read source message, a redelivered notification, a restart), so the outbox
 * queues it once. Providers that take an idempotency key get it too: e-mail derives its
 * Message-ID from it, so a resend after a lost claim is recognisable as the same mail.
 */
import type { Channel } from '@aduan/contracts';

export type DeliveryKind = 'acknowledgement' | 'notification' | 'reply';

export const deliveryIds = {
  acknowledgement: (reportId: string): string => `ack:${reportId}`,
  notification: (notificationId: string): string => notificationId,
  /** A one-off reply caused by one source message (e.g. "please add details"). */
  reply: (channel: Channel, purpose: string, sourceId: string): string =>
    `reply:${channel}:${purpose}:${sourceId}`,
};
