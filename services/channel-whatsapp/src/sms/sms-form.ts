import type { Attachment } from '@aduan/contracts';
import type { FormParams } from '@aduan/channel-sdk';
import type { InboundMessage } from '../inbound/inbound-message';

/**
 * An inbound SMS (or MMS) in Twilio's webhook fields, which most SMS gateways also speak:
 * https://www.twilio.com/docs/messaging/guides/webhook-request
 */
const PHONE = /^\+?[0-9]{5,20}$/;
const SID = /^[A-Za-z0-9_-]{1,64}$/;
const IMAGE_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif']);
const MAX_MEDIA = 10;

export type ParsedSms = { ok: true; message: InboundMessage } | { ok: false; problem: string };

function single(params: FormParams, name: string): string | undefined {
  const v = params[name];
  return Array.isArray(v) ? v[0] : v;
}

export function parseSmsForm(params: FormParams, now = new Date()): ParsedSms {
  const from = single(params, 'From');
  const sid = single(params, 'MessageSid') ?? single(params, 'SmsMessageSid') ?? single(params, 'SmsSid');
  const body = single(params, 'Body');
  if (!from) return { ok: false, problem: 'From is required' };
  if (!PHONE.test(from)) return { ok: false, problem: 'From must be a phone number' };
  if (!sid) return { ok: false, problem: 'MessageSid is required' };
  if (!SID.test(sid)) return { ok: false, problem: 'MessageSid must be 1 to 64 letters, digits, _ or -' };
  if (body === undefined) return { ok: false, problem: 'Body is required (it may be empty)' };
  if (body.length > 5000) return { ok: false, problem: 'Body is longer than 5000 characters' };
  const numMedia = Number(single(params, 'NumMedia') ?? '0');
  if (!Number.isInteger(numMedia) || numMedia < 0 || numMedia > MAX_MEDIA)
    return { ok: false, problem: `NumMedia must be a whole number from 0 to ${MAX_MEDIA}` };

  const attachments: Attachment[] = [];
  const notes: string[] = [];
  for (let i = 0; i < numMedia; i++) {
    const url = single(params, `MediaUrl${i}`);
    const contentType = single(params, `MediaContentType${i}`) ?? 'application/octet-stream';
    if (!url || !/^https?:\/\//.test(url))
      return { ok: false, problem: `MediaUrl${i} must be an http(s) URL` };
    if (IMAGE_TYPES.has(contentType)) attachments.push({ url, contentType, name: `sms-media-${i}` });
    else
      notes.push(
        `Lampiran jenis ${contentType} tidak diterima / attachment of type ${contentType} not accepted`,
      );
  }
  return {
    ok: true,
    message: {
      channel: 'sms',
      sourceId: sid,
      from: from.startsWith('+') ? from : `+${from}`,
      receivedAt: now,
      text: body,
      attachments,
      notes,
    },
  };
}
