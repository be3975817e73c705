/**
 * Refused because the adapter already holds as many complaints on their way to Kafka as it
 * may. Under a burst far above what the broker and database take, waiting requests would
 * otherwise pile up in memory until the process dies and loses every one of them; refused
 * with 503 and a short Retry-After, each stays with its sender, who sends it again.
 */
export class IntakeSaturated extends Error {
  readonly retryAfterSeconds = 1;

  constructor(readonly limit: number) {
    super(`intake is busy: ${limit} complaints are already on their way to Kafka; send again in a moment`);
    this.name = 'IntakeSaturated';
  }
}

/** Counts work in hand and refuses more than `limit` at once (0: no limit). */
export class InFlightLimit {
  private inFlight = 0;

  constructor(readonly limit: number) {}

  get current(): number {
    return this.inFlight;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.limit > 0 && this.inFlight >= this.limit) throw new IntakeSaturated(this.limit);
    this.inFlight++;
    try {
      return await work();
    } finally {
      this.inFlight--;
    }
  }
}
