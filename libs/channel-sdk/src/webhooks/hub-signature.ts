import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Meta (WhatsApp Cloud API, Pages, Instagram) and GitHub sign each webhook delivery with
 * `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, raw body)>`. The HMAC covers the
 * bytes exactly as they arrived: re-serialising parsed JSON changes them (escaping, spacing),
 * so callers must keep the raw body.
 */
export const HUB_SIGNATURE_HEADER = 'x-hub-signature-256';

export function hubSignature256(rawBody: Buffer | string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

/** Constant-time check of a presented header value; never says which byte differed. */
export function verifyHubSignature256(
  rawBody: Buffer | string,
  header: string | string[] | undefined,
  secret: string,
): SignatureCheck {
  const presented = Array.isArray(header) ? header[0] : header;
  if (!presented) return { ok: false, reason: 'X-Hub-Signature-256 header is missing' };
  const match = /^sha256=([0-9a-f]{64})$/i.exec(presented.trim());
  if (!match) return { ok: false, reason: 'X-Hub-Signature-256 must be "sha256=" followed by 64 hex digits' };
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  const given = Buffer.from(match[1]!.toLowerCase(), 'hex');
  if (!timingSafeEqual(expected, given))
    return { ok: false, reason: 'X-Hub-Signature-256 does not match the body' };
  return { ok: true };
}
