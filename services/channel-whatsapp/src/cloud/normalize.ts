import type { Attachment } from '@aduan/contracts';
import type { Logger } from '@aduan/platform';
import type { InboundMessage } from '../inbound/inbound-message';
import type { CloudApi } from './cloud-api';
import type { CloudChange, CloudMessage, CloudWebhook } from './webhook-payload';

export const ACCEPTED_IMAGE_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp']);

export interface NormalizeOptions {
  api: CloudApi;
  maxMediaBytes: number;
  log: Logger;
}

export interface Normalized {
  messages: InboundMessage[];
  /** Counted, not published: delivery receipts and message types we do not take. */
  statuses: number;
  unsupported: string[];
}

/** Turns every message of a verified webhook into an InboundMessage; the rest is counted. */
export async function normalizeCloudWebhook(hook: CloudWebhook, opts: NormalizeOptions): Promise<Normalized> {
  const out: Normalized = { messages: [], statuses: 0, unsupported: [] };
  for (const entry of hook.entry) {
    for (const change of entry.changes) {
      if (change.field !== 'messages') {
        out.unsupported.push(`field:${change.field}`);
        continue;
      }
      out.statuses += change.value.statuses?.length ?? 0;
      for (const message of change.value.messages ?? []) {
        const normalized = await normalizeMessage(change, message, opts);
        if (normalized) out.messages.push(normalized);
        else out.unsupported.push(message.type);
      }
    }
  }
  return out;
}

async function normalizeMessage(
  change: CloudChange,
  m: CloudMessage,
  opts: NormalizeOptions,
): Promise<InboundMessage | null> {
  const contact = change.value.contacts?.find((c) => c.wa_id === m.from) ?? change.value.contacts?.[0];
  const base: InboundMessage = {
    channel: 'whatsapp',
    sourceId: m.id,
    from: m.from.startsWith('+') ? m.from : `+${m.from}`,
    receivedAt: new Date(Number(m.timestamp) * 1000),
    text: '',
    attachments: [],
    notes: [],
    ...(contact?.profile?.name ? { name: contact.profile.name } : {}),
    ...(change.value.metadata?.phone_number_id ? { replyVia: change.value.metadata.phone_number_id } : {}),
  };
  switch (m.type) {
    case 'text':
      if (!m.text) return null;
      return { ...base, text: m.text.body };
    case 'location': {
      if (!m.location) return null;
      const { latitude, longitude, name, address } = m.location;
      const label = [name, address].filter(Boolean).join(', ');
      return { ...base, location: { lat: latitude, lon: longitude, ...(label ? { address: label } : {}) } };
    }
    case 'image': {
      if (!m.image) return null;
      const photo = await fetchPhoto(m.image.id, m.image.mime_type, m.image.url, opts);
      return {
        ...base,
        text: m.image.caption ?? '',
        attachments: photo.attachment ? [photo.attachment] : [],
        notes: photo.note ? [photo.note] : [],
      };
    }
    default:
      return null;
  }
}

/**
 * Looks the photo up on the Cloud API's media endpoint for its real type and size. The report
 * keeps the reference; when the lookup fails the complaint is still taken, with the type the
 * webhook announced.
 */
async function fetchPhoto(
  id: string,
  announcedType: string | undefined,
  webhookUrl: string | undefined,
  opts: NormalizeOptions,
): Promise<{ attachment?: Attachment; note?: string }> {
  let attachment: Attachment = {
    url: webhookUrl ?? `whatsapp-media:${id}`,
    contentType: announcedType ?? 'application/octet-stream',
    name: `whatsapp-${id}`,
  };
  if (opts.api.canSend) {
    try {
      const info = await opts.api.mediaInfo(id);
      attachment = {
        ...attachment,
        url: info.url,
        contentType: info.mimeType,
        ...(info.size !== undefined ? { size: info.size } : {}),
      };
    } catch (err) {
      opts.log.warn('media lookup failed; keeping the reference from the webhook', {
        mediaId: id,
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }
  if (!ACCEPTED_IMAGE_TYPES.has(attachment.contentType)) {
    return {
      note: `Foto dengan jenis ${attachment.contentType} tidak diterima / photo of type ${attachment.contentType} not accepted`,
    };
  }
  if (attachment.size !== undefined && attachment.size > opts.maxMediaBytes) {
    return {
      note: `Foto ${attachment.size} byte melebihi batas ${opts.maxMediaBytes} / photo over the size limit`,
    };
  }
  return { attachment };
}
