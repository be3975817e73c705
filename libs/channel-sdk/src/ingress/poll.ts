/**
 * Poll ingress: a source the adapter reads from (a mailbox, a search, a page's comments, a
 * feed), in one or more partitions, each with its own resume position. The adapter writes
 * `poll(partition, cursor)` → `{ items, next }`; the runner owns the loop:
 *
 * - every item is handled (on Kafka) before `next` is saved, so a crash reads the batch again
 *   and the items' provider ids make that harmless; nothing is skipped;
 * - an item that can never be read (PermanentError) is quarantined and the batch goes on;
 * - anything else (provider or broker away) is retried with backoff for as long as it lasts,
 *   from the last saved cursor; `RateLimited` waits until the provider's reset time;
 * - partitions run independently: one failing mailbox does not stop another.
 */
import { classifyFailure } from '@aduan/bus';
import type { Channel } from '@aduan/contracts';
import { backoffDelay, sleep, type Logger, type Metrics } from '@aduan/platform';
import type { Quarantine } from '../store/quarantine';
import type { SourceCursors } from '../store/source-cursors';
import { withoutNul } from './without-nul';

export interface PollBatch<Item> {
  items: Item[];
  /** Where the next poll starts; null keeps the current cursor. */
  next: string | null;
  /** More is waiting: poll again at once instead of after the interval. */
  more?: boolean;
}

export interface PollIngress<Item = unknown> {
  name: string;
  /** Several sources of one kind (mailboxes, queries, pages); each keeps its own cursor. */
  partitions: readonly string[];
  poll(partition: string, cursor: string | null, signal: AbortSignal): Promise<PollBatch<Item>>;
  handle(item: Item, log: Logger): Promise<void>;
  idOf?: (item: Item) => string | undefined;
  /** Pause between polls when nothing more is waiting. */
  intervalMs: number;
  /** Longest backoff while the source is away. */
  maxBackoffMs?: number;
}

/** The provider asked us to wait (HTTP 429 with a reset time). */
export class RateLimited extends Error {
  constructor(
    readonly resumeAt: Date,
    message = 'rate limited by the provider',
  ) {
    super(message);
    this.name = 'RateLimited';
  }
}

export interface PollHealth {
  partition: string;
  ok: boolean;
  lastError?: string;
}

export class PollRunner<Item> {
  private readonly abort = new AbortController();
  private loops: Promise<void>[] = [];
  private readonly health = new Map<string, PollHealth>();

  constructor(
    private readonly ingress: PollIngress<Item>,
    private readonly deps: {
      channel: Channel;
      cursors: SourceCursors;
      quarantine: Quarantine;
      log: Logger;
      metrics: Metrics;
    },
  ) {}

  start(): void {
    this.loops = this.ingress.partitions.map((p) => this.loop(p));
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await Promise.all(this.loops);
  }

  /** For readiness: partitions that failed their last poll, with why. */
  status(): PollHealth[] {
    return [...this.health.values()];
  }

  /** One poll of one partition and the handling of its items; returns whether more is waiting. */
  async pollOnce(partition: string): Promise<boolean> {
    const key = `${this.ingress.name}:${partition}`;
    const log = this.deps.log.child({ ingress: this.ingress.name, partition });
    const cursor = await this.deps.cursors.load(this.deps.channel, key);
    const batch = await this.ingress.poll(partition, cursor, this.abort.signal);
    for (const item of batch.items) await this.takeIn(item, log);
    if (batch.next !== null && batch.next !== cursor)
      await this.deps.cursors.save(this.deps.channel, key, batch.next);
    this.deps.metrics
      .counter('aduan_channel_polled_items_total', 'Items read by poll ingress', ['ingress'])
      .inc({ ingress: this.ingress.name }, batch.items.length);
    return Boolean(batch.more);
  }

  private async loop(partition: string): Promise<void> {
    const log = this.deps.log.child({ ingress: this.ingress.name, partition });
    let failures = 0;
    while (!this.abort.signal.aborted) {
      let wait = this.ingress.intervalMs;
      try {
        const more = await this.pollOnce(partition);
        failures = 0;
        this.health.set(partition, { partition, ok: true });
        if (more) continue;
      } catch (err) {
        if (this.abort.signal.aborted) break;
        failures++;
        const reason = err instanceof Error ? err.message : String(err);
        this.health.set(partition, { partition, ok: false, lastError: reason });
        wait =
          err instanceof RateLimited
            ? Math.max(0, err.resumeAt.getTime() - Date.now())
            : backoffDelay(failures, 500, this.ingress.maxBackoffMs ?? 60_000);
        log.warn(err instanceof RateLimited ? 'rate limited, waiting' : 'poll failed, will retry', {
          error: reason,
          attempt: failures,
          retryInMs: wait,
        });
      }
      await sleep(wait, this.abort.signal);
    }
  }

  private async takeIn(item: Item, log: Logger): Promise<void> {
    const sourceId = this.ingress.idOf?.(item);
    try {
      await this.ingress.handle(withoutNul(item), sourceId ? log.child({ sourceId }) : log);
    } catch (err) {
      const failure = classifyFailure(err);
      if (failure.kind === 'transient' || err instanceof RateLimited) throw err;
      await this.deps.quarantine.keep({
        channel: this.deps.channel,
        ingress: `poll:${this.ingress.name}`,
        ...(sourceId ? { sourceId } : {}),
        reason: `${failure.code}: ${failure.message}`,
        excerpt: safeJson(item),
      });
      log.warn('item quarantined', { sourceId, code: failure.code, reason: failure.message });
      this.deps.metrics
        .counter('aduan_channel_quarantined_total', 'Source items that could not be read', ['ingress'])
        .inc({ ingress: `poll:${this.ingress.name}` });
    }
  }
}

function safeJson(item: unknown): string {
  try {
    return JSON.stringify(item) ?? String(item);
  } catch {
    return String(item);
  }
}
