import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SignatureCheck } from './hub-signature';

/**
 * Twilio's request signature (`X-Twilio-Signature`), which most SMS gateways that speak
 * Twilio's webhook format also send: base64 HMAC-SHA1, keyed with the auth token, of the full
 * URL the gateway called followed by every POST parameter as name + value, names sorted
 * (repeated names: each value, sorted), with no separators.
 * https://www.twilio.com/docs/usage/webhooks/webhooks-security
 */
export const TWILIO_SIGNATURE_HEADER = 'x-twilio-signature';

export type FormParams = Record<string, string | string[]>;

export function twilioSignature(url: string, params: FormParams, authToken: string): string {
  let data = url;
  for (const name of Object.keys(params).sort()) {
    const value = params[name]!;
    for (const v of (Array.isArray(value) ? [...value] : [value]).sort()) data += name + v;
  }
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf8')).digest('base64');
}

/**
 * Gateways sign the URL as they dialled it, with or without the default port; behind a proxy
 * the service cannot know which, so both spellings are tried.
 */
function urlVariants(url: string): string[] {
  const parsed = new URL(url);
  const defaultPort = parsed.protocol === 'https:' ? '443' : parsed.protocol === 'http:' ? '80' : '';
  const variants = new Set([url]);
  if (parsed.port === '' && defaultPort) {
    // URL normalises the default port away, so splice it in by hand.
    variants.add(url.replace(`//${parsed.host}`, `//${parsed.hostname}:${defaultPort}`));
  } else if (parsed.port === defaultPort) {
    variants.add(url.replace(`:${defaultPort}`, ''));
  }
  return [...variants];
}

export function verifyTwilioSignature(
  url: string,
  params: FormParams,
  header: string | string[] | undefined,
  authToken: string,
): SignatureCheck {
  const presented = Array.isArray(header) ? header[0] : header;
  if (!presented) return { ok: false, reason: 'X-Twilio-Signature header is missing' };
  const given = Buffer.from(presented.trim(), 'base64');
  if (given.length !== 20) return { ok: false, reason: 'X-Twilio-Signature is not a base64 HMAC-SHA1' };
  for (const candidate of urlVariants(url)) {
    const expected = Buffer.from(twilioSignature(candidate, params, authToken), 'base64');
    if (timingSafeEqual(expected, given)) return { ok: true };
  }
  return { ok: false, reason: 'X-Twilio-Signature does not match the request' };
}

/** Form fields in the shape the signature needs: repeated names keep every value. */
export function formParams(body: string): FormParams {
  const out: FormParams = {};
  for (const [name, value] of new URLSearchParams(body)) {
    const prev = out[name];
    out[name] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
}
