import { fetchMedia, type FormParams } from '@aduan/channel-sdk';
import type { Draft, MediaSource } from '../inbound';

/**
 * An inbound SMS (or MMS) in Twilio's webhook fields, which most SMS gateways also speak:
 * https://www.twilio.com/docs/messaging/guides/webhook-request
 */
const PHONE = /^\+?[0-9]{5,20}$/;
const SID = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_MEDIA = 10;

/** `missing`: not an SMS webhook at all (400); otherwise an SMS that cannot be read, kept in quarantine. */
export type ParsedSms = { ok: true; message: Draft } | { ok: false; problem: string; missing?: true };

function single(params: FormParams, name: string): string | undefined {
  const v = params[name];
  return Array.isArray(v) ? v[0] : v;
}

export function parseSmsForm(params: FormParams, maxBytes: number, now = new Date()): ParsedSms {
  const from = single(params, 'From');
  const sid = single(params, 'MessageSid') ?? single(params, 'SmsMessageSid') ?? single(params, 'SmsSid');
  const body = single(params, 'Body');
  if (!from) return { ok: false, problem: 'From is required', missing: true };
  if (!PHONE.test(from)) return { ok: false, problem: 'From must be a phone number' };
  if (!sid) return { ok: false, problem: 'MessageSid is required', missing: true };
  if (!SID.test(sid)) return { ok: false, problem: 'MessageSid must be 1 to 64 letters, digits, _ or -' };
  if (body === undefined) return { ok: false, problem: 'Body is required (it may be empty)', missing: true };
  if (body.length > 5000) return { ok: false, problem: 'Body is longer than 5000 characters' };
  const numMedia = Number(single(params, 'NumMedia') ?? '0');
  if (!Number.isInteger(numMedia) || numMedia < 0 || numMedia > MAX_MEDIA)
    return { ok: false, problem: `NumMedia must be a whole number from 0 to ${MAX_MEDIA}` };

  const media: MediaSource[] = [];
  for (let i = 0; i < numMedia; i++) {
    const url = single(params, `MediaUrl${i}`);
    if (!url || !/^https?:\/\//.test(url))
      return { ok: false, problem: `MediaUrl${i} must be an http(s) URL` };
    // The link comes from the signed webhook, never from what a citizen typed (ADR 0014).
    media.push(async () => {
      const { bytes, contentType } = await fetchMedia(url, { maxBytes });
      return { bytes, type: single(params, `MediaContentType${i}`) ?? contentType, name: `sms-media-${i}` };
    });
  }
  return {
    ok: true,
    message: {
      channel: 'sms',
      sourceId: sid,
      from: from.startsWith('+') ? from : `+${from}`,
      receivedAt: now,
      text: body,
      media,
      notes: [],
    },
  };
}
