import { createHash, timingSafeEqual } from 'node:crypto';

export type KeyCheck = { ok: true; clientId: string } | { ok: false; status: 401 | 503; message: string };

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

/**
 * API keys of the client apps. Compared in constant time over their digests; the client id
 * (a digest prefix) namespaces Idempotency-Keys without ever storing or logging the key.
 */
export class ApiKeys {
  private readonly keys: Buffer[];

  constructor(keys: readonly string[] | undefined) {
    this.keys = (keys ?? []).map(digest);
  }

  get enabled(): boolean {
    return this.keys.length > 0;
  }

  check(headers: { 'x-api-key'?: string | string[]; authorization?: string }): KeyCheck {
    if (!this.enabled) return { ok: false, status: 503, message: 'report intake is disabled: the operator has not set JAKI_API_KEYS' };
    const bearer = headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
    const presented = bearer ?? (Array.isArray(headers['x-api-key']) ? headers['x-api-key'][0] : headers['x-api-key']);
    if (!presented) return { ok: false, status: 401, message: 'an API key is required (X-API-Key or Authorization: Bearer)' };
    const d = digest(presented);
    const match = this.keys.find((k) => timingSafeEqual(k, d));
    if (!match) return { ok: false, status: 401, message: 'the API key is not valid' };
    return { ok: true, clientId: match.subarray(0, 6).toString('hex') };
  }
}
