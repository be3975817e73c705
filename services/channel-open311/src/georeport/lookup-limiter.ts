/**
 * How many requests one client address may look up by id (requests/{id}, service_request_id
 * lists, tokens/{token}) per minute. Ids are unguessable, but the issue of privacy is not only
 * whether a guess can succeed: a client trying ids in bulk is refused early, and a list of 100
 * ids counts as 100 lookups, so the list form is no way around the limit.
 */
export class LookupLimiter {
  private readonly windows = new Map<string, { start: number; used: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts `n` lookups for `client`; null if allowed, else the seconds until it may ask again. */
  take(client: string, n: number): number | null {
    const now = this.now();
    if (this.windows.size > 10_000) this.forgetOld(now);
    const current = this.windows.get(client);
    const window = current && now - current.start < 60_000 ? current : { start: now, used: 0 };
    if (window.used + n > this.perMinute) {
      this.windows.set(client, window);
      return Math.max(1, Math.ceil((window.start + 60_000 - now) / 1000));
    }
    window.used += n;
    this.windows.set(client, window);
    return null;
  }

  private forgetOld(now: number): void {
    for (const [client, w] of this.windows) if (now - w.start >= 60_000) this.windows.delete(client);
  }
}
