import {
  PermanentError,
  WebhookRefused,
  jsonBody,
  type ReceiptStatus,
  type WebhookRequest,
} from '@aduan/channel-sdk';
import type { Draft, MediaSource } from '../inbound';
import type { CloudApi } from './cloud-api';

/**
 * The parts of a Cloud API `messages` webhook this adapter reads
 * (https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components). The envelope is
 * checked as a whole (400 when it is not one); each message or status is an item of its own, so
 * one unreadable message is quarantined while the others are taken in.
 */
interface ChangeValue {
  metadata?: { phone_number_id?: string };
  contacts?: Array<{ wa_id?: string; profile?: { name?: string } }>;
  messages?: CloudMessage[];
  statuses?: CloudStatus[];
}

export interface CloudMessage {
  from: string;
  id: string;
  timestamp: string;
  type: string;
  text?: { body: string };
  image?: { id: string; mime_type?: string; caption?: string };
  location?: { latitude: number; longitude: number; name?: string; address?: string };
}

/** https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components#statuses-object */
export interface CloudStatus {
  id: string;
  status: string;
  errors?: Array<{ code?: number; title?: string; message?: string; error_data?: { details?: string } }>;
}

export type CloudItem =
  { kind: 'message'; value: ChangeValue; message: CloudMessage } | { kind: 'status'; status: CloudStatus };

type Envelope = {
  object?: unknown;
  entry?: Array<{ changes?: Array<{ field?: unknown; value?: ChangeValue }> }>;
};

function envelopeProblem(b: Envelope | null): string | null {
  if (b?.object !== 'whatsapp_business_account') return '/object must be "whatsapp_business_account"';
  const changes = Array.isArray(b.entry) ? b.entry.map((e) => e?.changes) : null;
  if (!changes?.every((c) => Array.isArray(c) && c.every((x) => typeof x?.field === 'string' && x.value)))
    return '/entry must be a list of entries, each with changes of a field and a value';
  return null;
}

const TAKEN = new Set(['text', 'image', 'location']);

/** Items of a signed webhook; what is neither a complaint nor a receipt is reported through `skipped`. */
export function cloudItems(req: WebhookRequest, skipped: (what: string) => void): CloudItem[] {
  const body = jsonBody(req) as Envelope;
  const problem = envelopeProblem(body);
  if (problem) throw new WebhookRefused(400, `not a WhatsApp Cloud API webhook: ${problem}`);
  const items: CloudItem[] = [];
  for (const entry of body.entry!)
    for (const { field, value } of entry.changes!) {
      if (field !== 'messages') skipped(`field:${field}`);
      else {
        for (const message of value!.messages ?? [])
          if (TAKEN.has(message?.type)) items.push({ kind: 'message', value: value!, message });
          else skipped(message.type);
        for (const status of value!.statuses ?? []) items.push({ kind: 'status', status });
      }
    }
  return items;
}

/** A receipt the outbox records: `sent` says nothing new, so only these three count. */
export function receiptOf(s: CloudStatus): { status: ReceiptStatus; error?: string } | null {
  if (typeof s?.id !== 'string' || !['delivered', 'read', 'failed'].includes(s.status)) return null;
  const e = s.errors?.[0];
  const error = e
    ? `${e.code ?? '?'} ${e.title ?? e.message ?? ''}${e.error_data?.details ? `: ${e.error_data.details}` : ''}`
    : undefined;
  return { status: s.status as ReceiptStatus, ...(error ? { error } : {}) };
}

export function draftOf(
  { value, message: m }: Extract<CloudItem, { kind: 'message' }>,
  api: CloudApi,
  maxBytes: number,
): Draft {
  if (!/^\+?[0-9]{5,20}$/.test(m.from) || !/^[0-9]{1,12}$/.test(m.timestamp ?? ''))
    throw new PermanentError('MALFORMED_MESSAGE', 'from must be a phone number and timestamp seconds');
  const name =
    value.contacts?.find((c) => c.wa_id === m.from)?.profile?.name ?? value.contacts?.[0]?.profile?.name;
  const image = m.image;
  const photo: MediaSource = async () => {
    const { bytes, contentType } = await api.download(image!.id, maxBytes);
    return { bytes, type: contentType ?? image!.mime_type, name: `whatsapp-${image!.id}` };
  };
  const place = m.location;
  const label = place ? [place.name, place.address].filter(Boolean).join(', ') : '';
  return {
    channel: 'whatsapp',
    sourceId: m.id,
    from: m.from.startsWith('+') ? m.from : `+${m.from}`,
    receivedAt: new Date(Number(m.timestamp) * 1000),
    text: m.text?.body ?? m.image?.caption ?? '',
    media: image ? [photo] : [],
    notes: [],
    ...(name ? { name } : {}),
    ...(place
      ? { location: { lat: place.latitude, lon: place.longitude, ...(label ? { address: label } : {}) } }
      : {}),
    ...(value.metadata?.phone_number_id ? { replyVia: value.metadata.phone_number_id } : {}),
  };
}
