import { createHash } from 'node:crypto';
import type { Logger, Metrics } from '@aduan/platform';
import type { Response } from 'express';
import { Gauge } from 'prom-client';
import type { DataSource } from 'typeorm';
import { findPublicReport, type PublicReport } from './public-report';

export interface StreamLimits {
  /** Open streams on this instance, all citizens together; beyond it a new one gets 503. */
  max: number;
  /** Open streams from one client address; beyond it a new one gets 503. */
  perClient: number;
  heartbeatMs: number;
  /** What EventSource waits before reconnecting after a cut (the `retry:` field). */
  retryMs: number;
}

/** The version of a public view: its ETag on the JSON and its event id on the stream. */
export function versionOf(view: PublicReport): string {
  return createHash('sha256').update(JSON.stringify(view)).digest('base64url').slice(0, 22);
}

interface Stream {
  code: string;
  client: string;
  res: Response;
  sent: string | null;
}

export type OpenResult = { ok: true } | { ok: false; reason: string };

/**
 * The live tracking streams open on this instance, by tracking code. A change notified by the
 * database is read once per code, however many citizens follow it, and sent only to the streams
 * that have not seen that version yet (a stream resumed with Last-Event-ID starts from there).
 */
export class PublicStreams {
  private readonly byCode = new Map<string, Set<Stream>>();
  private readonly byClient = new Map<string, number>();
  private total = 0;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly pending = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private readonly opened;
  private readonly refused;

  constructor(
    private readonly db: DataSource,
    readonly limits: StreamLimits,
    private readonly logger: Logger,
    metrics: Metrics,
  ) {
    this.heartbeat = setInterval(() => this.beat(), limits.heartbeatMs);
    this.heartbeat.unref();
    this.opened = metrics.counter('status_public_streams_opened_total', 'Live tracking streams opened');
    this.refused = metrics.counter(
      'status_public_streams_refused_total',
      'Live tracking streams refused with 503, by the limit reached',
      ['limit'],
    );
    const open = () => this.total;
    if (!metrics.registry.getSingleMetric('status_public_streams_open'))
      new Gauge({
        name: 'status_public_streams_open',
        help: 'Live tracking streams open now',
        registers: [metrics.registry],
        collect() {
          this.set(open());
        },
      });
  }

  /** Takes a place for a new stream, or says which limit is reached. */
  reserve(client: string): OpenResult {
    if (this.total >= this.limits.max) {
      this.refused.inc({ limit: 'total' });
      return {
        ok: false,
        reason: 'too many live tracking streams are open; the page refreshes by itself instead',
      };
    }
    if ((this.byClient.get(client) ?? 0) >= this.limits.perClient) {
      this.refused.inc({ limit: 'client' });
      return {
        ok: false,
        reason: `at most ${this.limits.perClient} live tracking streams per client; close another tracking page first`,
      };
    }
    this.total += 1;
    this.byClient.set(client, (this.byClient.get(client) ?? 0) + 1);
    return { ok: true };
  }

  /** Starts the stream on a reserved place with the view as it is now, unless `lastEventId` already is it. */
  open(code: string, client: string, res: Response, view: PublicReport, lastEventId: string | null): void {
    const stream: Stream = { code, client, res, sent: lastEventId };
    let set = this.byCode.get(code);
    if (!set) this.byCode.set(code, (set = new Set()));
    set.add(stream);
    this.opened.inc();
    res.on('close', () => this.close(stream));

    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-store, no-transform');
    res.setHeader('Connection', 'keep-alive');
    // Tells nginx-like proxies in front not to hold events back in a buffer.
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    res.socket?.setNoDelay(true);
    res.write(`retry: ${this.limits.retryMs}\n\n`);
    this.send(stream, view);
  }

  /** A change committed somewhere: re-read the view once and send it where it is new. */
  changed(code: string): void {
    if (!this.byCode.has(code)) return;
    if (this.pending.has(code)) {
      // A read is under way and may predate this commit: read once more after it.
      this.again.add(code);
      return;
    }
    const read = this.refresh(code)
      .catch((err: unknown) =>
        this.logger.warn('could not read a report for its live streams; they keep the last view', {
          error: err instanceof Error ? err.message : String(err),
        }),
      )
      .finally(() => {
        this.pending.delete(code);
        if (this.again.delete(code)) this.changed(code);
      });
    this.pending.set(code, read);
  }

  /** Notifications may have been missed: every followed report is read again. */
  resync(): void {
    for (const code of [...this.byCode.keys()]) this.changed(code);
  }

  private async refresh(code: string): Promise<void> {
    const view = await findPublicReport(this.db, code);
    const streams = [...(this.byCode.get(code) ?? [])];
    for (const stream of streams) {
      if (view) this.send(stream, view);
      else {
        // Made confidential (or gone): the stream ends with nothing more than the JSON would say.
        stream.res.write('event: gone\ndata: {}\n\n');
        stream.res.end();
      }
    }
  }

  private send(stream: Stream, view: PublicReport): void {
    const version = versionOf(view);
    if (stream.sent === version) return;
    stream.sent = version;
    stream.res.write(`id: ${version}\nevent: report\ndata: ${JSON.stringify(view)}\n\n`);
  }

  private beat(): void {
    for (const set of this.byCode.values()) for (const stream of set) stream.res.write(': keep-alive\n\n');
  }

  private close(stream: Stream): void {
    const set = this.byCode.get(stream.code);
    if (!set?.delete(stream)) return;
    if (set.size === 0) this.byCode.delete(stream.code);
    this.release(stream.client);
  }

  /** Gives back a place taken by `reserve` (a stream closed, or never opened). */
  release(client: string): void {
    this.total -= 1;
    const left = (this.byClient.get(client) ?? 1) - 1;
    if (left > 0) this.byClient.set(client, left);
    else this.byClient.delete(client);
  }

  get openCount(): number {
    return this.total;
  }

  /** Ends every stream (shutdown): browsers reconnect to another instance after `retry`. */
  async stop(): Promise<void> {
    clearInterval(this.heartbeat);
    for (const set of [...this.byCode.values()]) for (const stream of [...set]) stream.res.end();
    await Promise.allSettled([...this.pending.values()]);
  }
}
