import { backoffDelay, PermanentError, sleep } from '@aduan/bus';
import type { Logger } from '@aduan/platform';

/**
 * The API answers as soon as the report is on Kafka; the acknowledgement follows, retried with
 * backoff while the provider is down. The delivery log inside `send` keeps every attempt to at
 * most one message. A restart drops the queue (docs/adr/0021).
 */
export class BackgroundSends {
  private readonly stopping = new AbortController();
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly log: Logger,
    private readonly attempts = 8,
    private readonly baseMs = 500,
  ) {}

  run(what: string, send: () => Promise<unknown>): void {
    const loop = async () => {
      for (let attempt = 1; attempt <= this.attempts && !this.stopping.signal.aborted; attempt++) {
        try {
          await send();
          return;
        } catch (err) {
          const permanent = err instanceof PermanentError;
          this.log.warn(`${what} not sent`, {
            attempt,
            permanent,
            error: err instanceof Error ? err.message : String(err),
          });
          if (permanent) return;
          await sleep(backoffDelay(attempt, this.baseMs, 30_000), this.stopping.signal);
        }
      }
    };
    const p = loop();
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  async drain(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.drain();
  }
}
