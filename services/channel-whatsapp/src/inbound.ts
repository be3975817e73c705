import { MediaFetchError, MediaRefused, PermanentError } from '@aduan/channel-sdk';
import type { InboundMessage, MediaStore } from '@aduan/channel-sdk';
import type { Attachment, GeoPoint } from '@aduan/contracts';

/** Fetches one photo of a message from wherever its provider keeps it. */
export type MediaSource = () => Promise<{ bytes: Buffer; type?: string | null; name: string }>;

/**
 * One citizen message, whatever carried it (Cloud API webhook, whatsapp-web.js, SMS gateway),
 * before its photos are kept. `from` is personal data: it is used to reply and to find the open
 * conversation, and is never logged.
 */
export interface Draft {
  channel: 'whatsapp' | 'sms';
  /** The provider's message id (wamid…, SM…); the report id is derived from it. */
  sourceId: string;
  from: string;
  name?: string;
  receivedAt: Date;
  /** What the citizen wrote (a caption for a photo); may be empty. */
  text: string;
  location?: GeoPoint;
  media: MediaSource[];
  /** Notes for the officer about what was left out (a photo over the limit…). Public-safe. */
  notes: string[];
  /** The Cloud API phone number id that received the message: replies go out from it. */
  replyVia?: string;
}

const TRACKING_CODE = /\b[2-9A-HJKMNP-TV-Z]{5}-[2-9A-HJKMNP-TV-Z]{5}\b/g;

/**
 * Keeps the photos in the media store, so reports link to `/media/<sha256>` rather than to
 * provider links that expire. A photo that can never be kept becomes a note and the complaint
 * still counts; a provider or database that is briefly away throws, so the message is read again.
 */
export async function toInbound(d: Draft, store: MediaStore): Promise<InboundMessage> {
  const attachments: Attachment[] = [];
  const notes = [...d.notes];
  for (const source of d.media) {
    try {
      const { bytes, type, name } = await source();
      const { id: _id, ...ref } = await store.put(bytes, {
        filename: name,
        ...(type ? { declaredType: type } : {}),
      });
      attachments.push(ref);
    } catch (err) {
      const never = err instanceof MediaRefused || err instanceof PermanentError;
      if (!never && !(err instanceof MediaFetchError && !err.transient)) throw err;
      notes.push(`Foto tidak dapat disimpan / photo not kept: ${(err as Error).message}`);
    }
  }
  const parts: string[] = [];
  if (d.text.trim()) parts.push(d.text.trim());
  else if (d.location) parts.push('Lokasi dibagikan oleh pelapor / Location shared by the reporter');
  else if (attachments.length) parts.push('Foto tanpa keterangan / Photo without description');
  // Nothing to act on stays empty, so the citizen is asked for details rather than given a report of notes.
  if (parts.length) {
    if (d.location?.address) parts.push(`Lokasi: ${d.location.address}`);
    for (const note of notes) parts.push(`[${note}]`);
  }
  return {
    channel: d.channel,
    sourceId: d.sourceId,
    from: d.from,
    reporter: { anonymous: false, phone: d.from, ...(d.name ? { name: d.name } : {}) },
    replyTo: { address: d.from, ...(d.replyVia ? { thread: d.replyVia } : {}) },
    text: parts.join('\n'),
    attachments,
    receivedAt: d.receivedAt,
    quotedTrackingCodes: d.text.toUpperCase().match(TRACKING_CODE) ?? [],
    ...(d.location ? { location: d.location } : {}),
    ...(d.replyVia ? { eventThread: d.replyVia, thread: { phoneNumberId: d.replyVia } } : {}),
  };
}
