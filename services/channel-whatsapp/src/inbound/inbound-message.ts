import type { Attachment, GeoPoint } from '@aduan/contracts';

/**
 * One citizen message, whatever carried it (Cloud API webhook, whatsapp-web.js, SMS gateway),
 * in the shape the intake rules work on. `from` is personal data: it is used to reply and to
 * find the open conversation, and is never logged.
 */
export interface InboundMessage {
  channel: 'whatsapp' | 'sms';
  /** The provider's message id (wamid…, SM…); the report id is derived from it. */
  sourceId: string;
  from: string;
  name?: string;
  receivedAt: Date;
  /** What the citizen wrote (a caption for a photo); may be empty. */
  text: string;
  location?: GeoPoint;
  attachments: Attachment[];
  /** Notes for the officer about what was left out (a photo over the limit…). Public-safe. */
  notes: string[];
  /** Where a reply goes out from: the Cloud API phone number id that received the message. */
  replyVia?: string;
}

/** What the report text says when the citizen sent only a photo or a place. */
export function reportText(m: InboundMessage): string {
  const parts: string[] = [];
  if (m.text.trim()) parts.push(m.text.trim());
  else if (m.location) parts.push('Lokasi dibagikan oleh pelapor / Location shared by the reporter');
  else if (m.attachments.length) parts.push('Foto tanpa keterangan / Photo without description');
  if (m.location?.address) parts.push(`Lokasi: ${m.location.address}`);
  for (const note of m.notes) parts.push(`[${note}]`);
  return parts.join('\n');
}

export function isEmpty(m: InboundMessage): boolean {
  return !m.text.trim() && !m.location && m.attachments.length === 0;
}
