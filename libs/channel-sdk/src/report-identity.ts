import { createHash, createHmac } from 'node:crypto';
import type { Channel } from '@aduan/contracts';

// Fixed for ever: changing it would give every re-read source message a new report id.
const ADUAN_NAMESPACE = '6f1c9e2a-3d47-5b8e-9a10-7c2f4e8d1b35';

function uuidBytes(uuid: string): Buffer {
  return Buffer.from(uuid.replace(/-/g, ''), 'hex');
}

/** RFC 9562 version-5 UUID: SHA-1 of namespace + name, with version and variant bits set. */
export function uuidV5(name: string, namespace = ADUAN_NAMESPACE): string {
  const hash = createHash('sha1').update(uuidBytes(namespace)).update(name, 'utf8').digest();
  const b = hash.subarray(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x50;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The same source message always maps to the same report, however often it is read. */
export function reportIdFor(channel: Channel, sourceId: string): string {
  return uuidV5(`${channel}:${sourceId}`);
}

/**
 * No 0/O, 1/I/L or U/V to confuse when read aloud or copied from an SMS. 30 symbols,
 * 10 per code: about 49 bits, so codes cannot be guessed or walked.
 */
export const TRACKING_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_LENGTH = 10;

/**
 * Derived from the report id with a server-side secret: deterministic (a re-read message gets
 * the same code, no lookup needed) yet not enumerable without the secret.
 */
export function trackingCodeFor(reportId: string, secret: string): string {
  const digest = createHmac('sha256', secret).update(reportId).digest();
  let n = BigInt('0x' + digest.toString('hex'));
  const base = BigInt(TRACKING_ALPHABET.length);
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) {
    code += TRACKING_ALPHABET[Number(n % base)];
    n /= base;
  }
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/** Accepts what citizens type: any case, spaces, a missing dash, U for V. */
export function normalizeTrackingCode(input: string): string | null {
  const cleaned = input.toUpperCase().replace(/[\s-]/g, '').replace(/U/g, 'V');
  if (cleaned.length !== CODE_LENGTH) return null;
  for (const ch of cleaned) if (!TRACKING_ALPHABET.includes(ch)) return null;
  return `${cleaned.slice(0, 5)}-${cleaned.slice(5)}`;
}
