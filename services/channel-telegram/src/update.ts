import { PermanentError, type InboundMessage } from '@aduan/channel-sdk';

/** The parts of a Bot API `Update` a complaint is made of (core.telegram.org/bots/api#update). */
export interface Update {
  update_id: number;
  message?: {
    message_id: number;
    date: number;
    chat: { id: number; type: string };
    from?: { id: number; is_bot: boolean; first_name: string; last_name?: string; username?: string };
    text?: string;
    caption?: string;
    location?: { latitude: number; longitude: number };
    reply_to_message?: { message_id: number };
  };
}

export function isUpdate(body: unknown): body is Update {
  return typeof body === 'object' && body !== null && typeof (body as Update).update_id === 'number';
}

/** A private chat's message as the conversation rules read it; null for what is not a complaint. */
export function toInbound(update: Update): InboundMessage | null {
  const m = update.message;
  // Groups, channels, bots and edits are not a citizen talking to the city.
  if (!m || m.chat.type !== 'private' || !m.from || m.from.is_bot) return null;
  if (!Number.isSafeInteger(m.chat.id) || !Number.isFinite(m.date))
    throw new PermanentError('MALFORMED_UPDATE', 'chat.id and date must be numbers');
  const chat = String(m.chat.id);
  const name = [m.from.first_name, m.from.last_name].filter(Boolean).join(' ').slice(0, 200);
  return {
    channel: 'telegram',
    sourceId: `${chat}:${m.message_id}`,
    from: chat,
    reporter: {
      anonymous: false,
      ...(name ? { name } : {}),
      ...(m.from.username ? { handle: `@${m.from.username}` } : {}),
      replyTo: chat,
    },
    replyTo: { address: chat, thread: String(m.message_id) },
    text: (m.text ?? m.caption ?? '').replaceAll('\u0000', '').slice(0, 100_000),
    receivedAt: new Date(m.date * 1000),
    ...(m.location ? { location: { lat: m.location.latitude, lon: m.location.longitude } } : {}),
    ...(m.reply_to_message ? { inReplyTo: [`${chat}:${m.reply_to_message.message_id}`] } : {}),
    threadKeys: [`${chat}:${m.message_id}`],
  };
}
