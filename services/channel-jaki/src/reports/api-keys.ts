import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { HttpException } from '@nestjs/common';

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

const APP_NAME = /^[a-z0-9][a-z0-9_-]{0,39}$/i;

interface ClientKey {
  digest: Buffer;
  /** The client app's name from an `app:key` entry, or a digest prefix for a bare key. */
  clientId: string;
}

/**
 * API keys of the client apps, one or more per app. An entry is `app:key` (the app's name
 * identifies it in idempotency keys, push deliveries and metrics) or a bare key (identified by
 * a digest prefix, as before). Compared in constant time over digests; a key is never stored
 * or logged in clear.
 */
export class ApiKeys {
  private readonly keys: ClientKey[];

  constructor(entries: readonly string[] | undefined) {
    this.keys = (entries ?? []).map((entry) => {
      const colon = entry.indexOf(':');
      const app = colon > 0 ? entry.slice(0, colon) : '';
      if (app && APP_NAME.test(app) && entry.length > colon + 1)
        return { digest: digest(entry.slice(colon + 1)), clientId: app };
      const d = digest(entry);
      return { digest: d, clientId: d.subarray(0, 6).toString('hex') };
    });
  }

  /** The client app of a request (X-API-Key or Authorization: Bearer), or the 401/503 to answer. */
  authenticate(headers: IncomingHttpHeaders): string {
    const refuse = (status: 401 | 503, message: string) =>
      new HttpException(
        { statusCode: status, error: status === 401 ? 'Unauthorized' : 'Service Unavailable', message },
        status,
      );
    if (!this.keys.length)
      throw refuse(503, 'report intake is disabled: the operator has not set JAKI_API_KEYS');
    const key = headers['x-api-key'];
    const presented =
      headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? (Array.isArray(key) ? key[0] : key);
    if (!presented) throw refuse(401, 'an API key is required (X-API-Key or Authorization: Bearer)');
    const d = digest(presented);
    const match = this.keys.find((k) => timingSafeEqual(k.digest, d));
    if (!match) throw refuse(401, 'the API key is not valid');
    return match.clientId;
  }
}
