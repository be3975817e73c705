import { createHmac } from 'node:crypto';
import type { Message, MessageMedia, MessageTypes } from 'whatsapp-web.js';
import type { Draft } from '../inbound';

/**
 * The fields of a whatsapp-web.js `Message` this adapter reads, picked from the library's own
 * declarations so that a change there breaks the build rather than intake. `_data` is the raw
 * WhatsApp Web model the library wraps; it is not declared, and only the sender's display name
 * is read from it.
 */
export type WebMessageLike = Pick<
  Message,
  | 'id'
  | 'from'
  | 'fromMe'
  | 'isStatus'
  | 'type'
  | 'body'
  | 'timestamp'
  | 'hasMedia'
  | 'location'
  | 'downloadMedia'
> & { _data?: { notifyName?: string } };

// The library's MessageTypes values this adapter reads, written out so that the Cloud API mode
// never loads whatsapp-web.js and its browser driver (about 37 MB, ADR 0081); the types fail the
// build if the library changes one.
const TEXT: `${MessageTypes.TEXT}` = 'chat';
const LOCATION: `${MessageTypes.LOCATION}` = 'location';
const IMAGE: `${MessageTypes.IMAGE}` = 'image';

export type WebNormalized = { kind: 'message'; message: Draft } | { kind: 'ignored'; reason: string };

/**
 * The message's id on the channel. WhatsApp Web ids embed the sender's phone number
 * (`false_62812…@c.us_3EB0…`), and the source id travels on every complaint event, so it is keyed
 * with the tracking-code secret: stable for the same message, and naming nobody.
 */
export function webSourceId(serialized: string, secret: string): string {
  return `web:${createHmac('sha256', secret).update(serialized).digest('hex').slice(0, 32)}`;
}

/** Only one-to-one messages from people become complaints; groups, stories and our own messages do not. */
export async function normalizeWebMessage(
  m: WebMessageLike,
  opts: { maxMediaBytes: number; secret: string },
): Promise<WebNormalized> {
  const { maxMediaBytes } = opts;
  if (m.fromMe) return { kind: 'ignored', reason: 'own message' };
  if (m.isStatus || m.from === 'status@broadcast') return { kind: 'ignored', reason: 'status update' };
  const person = /^(\d{5,20})@c\.us$/.exec(m.from);
  if (!person) return { kind: 'ignored', reason: 'not a one-to-one chat' };
  const base: Draft = {
    channel: 'whatsapp',
    sourceId: webSourceId(m.id._serialized, opts.secret),
    from: `+${person[1]}`,
    receivedAt: new Date(m.timestamp * 1000),
    text: '',
    media: [],
    notes: [],
    ...(m._data?.notifyName ? { name: m._data.notifyName } : {}),
  };
  switch (m.type as string) {
    case TEXT:
      return { kind: 'message', message: { ...base, text: m.body } };
    case LOCATION: {
      if (!m.location) return { kind: 'ignored', reason: 'location without coordinates' };
      const lat = Number(m.location.latitude);
      const lon = Number(m.location.longitude);
      if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) {
        return { kind: 'ignored', reason: 'location with invalid coordinates' };
      }
      const label = [m.location.name, m.location.address ?? m.location.description]
        .filter(Boolean)
        .join(', ');
      return {
        kind: 'message',
        message: { ...base, location: { lat, lon, ...(label ? { address: label } : {}) } },
      };
    }
    case IMAGE: {
      // The media store checks the type; the size is known before anything is decoded.
      // The library's declaration promises media, but it resolves undefined once the phone has deleted it.
      const media: MessageMedia | undefined = m.hasMedia ? await m.downloadMedia() : undefined;
      const size = media ? (media.filesize ?? Math.floor((media.data.length * 3) / 4)) : 0;
      const note = !media
        ? 'Foto tidak dapat diunduh / photo could not be downloaded'
        : size > maxMediaBytes
          ? `Foto ${size} byte melebihi batas / photo over the size limit`
          : undefined;
      const photo = {
        bytes: Buffer.from(media?.data ?? '', 'base64'),
        type: media?.mimetype,
        name: 'whatsapp-photo',
      };
      const kept = note ? { notes: [note] } : { media: [async () => photo] };
      return { kind: 'message', message: { ...base, text: m.body ?? '', ...kept } };
    }
    default:
      return { kind: 'ignored', reason: `message type ${m.type}` };
  }
}
