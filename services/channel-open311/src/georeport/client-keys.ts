import { createHash, timingSafeEqual } from 'node:crypto';

/** Why a request's key was not accepted: none configured (503) or none / a wrong one given (401). */
export class KeyRefused extends Error {
  constructor(
    readonly status: 401 | 503,
    message: string,
  ) {
    super(message);
  }
}

const APP_NAME = /^[a-z0-9][a-z0-9_-]{0,39}$/i;
const sha256 = (s: string) => createHash('sha256').update(s).digest();

/**
 * The Open311 client apps and their keys, from OPEN311_API_KEYS: `app:key` names the app (its
 * name scopes Idempotency-Keys and is logged), a bare key is known by a digest prefix. Keys are
 * kept and compared as digests, in constant time.
 */
export class ClientKeys {
  private readonly entries: Array<{ digest: Buffer; client: string }>;

  constructor(list: readonly string[] | undefined) {
    this.entries = (list ?? []).map((entry) => {
      const [app, ...rest] = entry.split(':');
      const key = rest.join(':');
      if (app && key && APP_NAME.test(app)) return { digest: sha256(key), client: app };
      const digest = sha256(entry);
      return { digest, client: digest.subarray(0, 6).toString('hex') };
    });
  }

  /** The client app that `presented` belongs to. */
  clientOf(presented: string | undefined): string {
    if (!this.entries.length)
      throw new KeyRefused(503, 'posting requests is disabled: the operator has not set OPEN311_API_KEYS');
    if (!presented) throw new KeyRefused(401, 'api_key is required to post a request');
    const d = sha256(presented);
    const match = this.entries.find((e) => timingSafeEqual(e.digest, d));
    if (!match) throw new KeyRefused(401, 'api_key is not valid');
    return match.client;
  }
}
