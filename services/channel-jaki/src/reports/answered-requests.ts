/**
 * Remembers the answer to each Idempotency-Key for a while, so an app that retries after a
 * lost response gets the first answer without a second event. Beyond this window the answer
 * is still the same (ids are derived from the key), only the event is published again, and
 * consumers treat it as the duplicate it is.
 */
export class AnsweredRequests<T> {
  private readonly entries = new Map<string, { value: T; at: number }>();

  constructor(
    private readonly capacity = 10_000,
    private readonly ttlMs = 24 * 3600_000,
  ) {}

  get(key: string, now = Date.now()): T | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (now - hit.at > this.ttlMs) {
      this.entries.delete(key);
      return undefined;
    }
    return hit.value;
  }

  set(key: string, value: T, now = Date.now()): void {
    this.entries.delete(key);
    this.entries.set(key, { value, at: now });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }
}
