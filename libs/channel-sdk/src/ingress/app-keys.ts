import { createHash, timingSafeEqual } from 'node:crypto';

const APP_NAME = /^[a-z0-9][a-z0-9_-]{0,39}$/i;
const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * The API keys of an API ingress's client apps, from a list setting. An entry is `app:key` (the
 * app's name identifies the client in idempotency keys, limits and logs; an app may hold several
 * keys) or a bare key, known by a digest prefix. Keys are kept and compared as digests, in
 * constant time, and never stored or logged in clear. How a refusal is worded is the adapter's.
 */
export class AppKeys {
  private readonly entries: Array<{ digest: Buffer; client: string }>;

  constructor(list: readonly string[] | undefined) {
    this.entries = (list ?? []).map((entry) => {
      const colon = entry.indexOf(':');
      const app = colon > 0 ? entry.slice(0, colon) : '';
      if (app && APP_NAME.test(app) && entry.length > colon + 1)
        return { digest: digest(entry.slice(colon + 1)), client: app };
      const d = digest(entry);
      return { digest: d, client: d.subarray(0, 6).toString('hex') };
    });
  }

  /** False while the operator has set no key: the ingress is off (503), not closed to one client (401). */
  get configured(): boolean {
    return this.entries.length > 0;
  }

  /** The client app that `presented` belongs to, or null for a key nobody was given. */
  clientOf(presented: string): string | null {
    const d = digest(presented);
    return this.entries.find((e) => timingSafeEqual(e.digest, d))?.client ?? null;
  }
}
