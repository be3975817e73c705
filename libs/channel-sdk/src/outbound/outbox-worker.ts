/**
 * Sends what the outbox holds, for as long as it takes: a provider outage delays messages, it
 * never drops them. Each due message is claimed with a lease in one statement (several instances
 * share the table safely), sent through the adapter's sender, then marked `sent` (the sealed
 * recipient cleared) or, for what no retry can fix (PermanentError), `failed` with the reason.
 * Anything else is tried again with capped backoff. A crash mid-send leaves the claim to expire,
 * after which the message is sent again: at least once, never silently lost.
 */
import { PermanentError } from '@aduan/bus';
import type { Channel } from '@aduan/contracts';
import { backoffDelay, sleep, type Logger, type Metrics } from '@aduan/platform';
import type { DataSource } from 'typeorm';
import type { ChannelMessage } from '../delivery/templates';
import type { DeliveryKind } from './delivery-ids';
import { returnedRows, type Outbox, type Recipient } from './outbox';
import type { Sealer } from './sealed';

export interface SendRequest {
  deliveryId: string;
  channel: Channel;
  kind: DeliveryKind;
  reportId: string | null;
  to: Recipient;
  message: ChannelMessage;
  /** The citizen's last message on this channel about the report, for providers with windows. */
  lastInboundAt: Date | null;
}

/** Delivers one message; returns the provider's message id. Throw PermanentError for refusals. */
export type OutboundSender = (request: SendRequest, log: Logger) => Promise<string | void>;

export interface OutboxWorkerOptions {
  db: DataSource;
  outbox: Outbox;
  sealer: Sealer;
  channels: readonly Channel[];
  send: OutboundSender;
  logger: Logger;
  metrics?: Metrics;
  /** How long a claimed message is protected from another worker; longer than any provider call. */
  leaseMs?: number;
  /** How often to look for due messages when nothing woke the worker. */
  pollMs?: number;
  batchSize?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
}

interface Claimed {
  delivery_id: string;
  channel: Channel;
  kind: DeliveryKind;
  report_id: string | null;
  recipient_sealed: string | null;
  message: ChannelMessage | null;
  attempts: number;
  last_inbound_at: Date | null;
}

export class OutboxWorker {
  private readonly abort = new AbortController();
  private running: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private unsubscribe: (() => void) | undefined;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly opts: OutboxWorkerOptions) {}

  start(): void {
    this.unsubscribe = this.opts.outbox.onEnqueue(() => this.wake?.());
    this.running = this.loop();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    this.wake?.();
    this.unsubscribe?.();
    await this.running;
    await Promise.all([...this.inFlight]);
  }

  /** Sends everything due now; tests and the loop use it. Returns how many were handled. */
  async runOnce(): Promise<number> {
    const due = await this.claim();
    await Promise.all(
      due.map((row) => {
        const p = this.deliver(row);
        this.inFlight.add(p);
        return p.finally(() => this.inFlight.delete(p));
      }),
    );
    return due.length;
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (!this.abort.signal.aborted) {
      try {
        const handled = await this.runOnce();
        failures = 0;
        if (handled) continue;
      } catch (err) {
        // The store itself is unreachable: wait and try again, nothing is lost meanwhile.
        failures++;
        this.opts.logger.warn('outbox not readable, will retry', {
          error: err instanceof Error ? err.message : String(err),
          attempt: failures,
        });
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        const ms = failures ? backoffDelay(failures, 500, 30_000) : (this.opts.pollMs ?? 1000);
        void sleep(ms, this.abort.signal).then(resolve);
      });
      this.wake = undefined;
    }
  }

  private async claim(): Promise<Claimed[]> {
    const result = (await this.opts.db.query(
      `UPDATE channel_delivery d
          SET status = 'sending', claimed_at = now(), attempts = d.attempts + 1, updated_at = now()
        WHERE d.delivery_id IN (
          SELECT delivery_id FROM channel_delivery
           WHERE channel = ANY($1) AND message IS NOT NULL
             AND ((status = 'pending' AND next_attempt_at <= now())
               OR (status = 'sending' AND claimed_at < now() - make_interval(secs => $2::double precision / 1000)))
           ORDER BY next_attempt_at
           LIMIT $3
           FOR UPDATE SKIP LOCKED)
        RETURNING d.delivery_id, d.channel, d.kind, d.report_id, d.recipient_sealed, d.message, d.attempts,
          (SELECT max(c.last_activity_at) FROM channel_conversation c
            WHERE c.channel = d.channel AND c.report_id = d.report_id) AS last_inbound_at`,
      [this.opts.channels, this.opts.leaseMs ?? 120_000, this.opts.batchSize ?? 20],
    )) as unknown;
    return returnedRows<Claimed>(result);
  }

  private async deliver(row: Claimed): Promise<void> {
    const log = this.opts.logger.child({
      deliveryId: row.delivery_id,
      channel: row.channel,
      kind: row.kind,
      reportId: row.report_id,
      attempt: row.attempts,
    });
    let providerMessageId: string | null;
    try {
      if (!row.recipient_sealed || !row.message)
        throw new PermanentError('NO_RECIPIENT', 'nothing to send to');
      providerMessageId =
        (await this.opts.send(
          {
            deliveryId: row.delivery_id,
            channel: row.channel,
            kind: row.kind,
            reportId: row.report_id,
            to: this.opts.sealer.open<Recipient>(row.recipient_sealed),
            message: row.message,
            lastInboundAt: row.last_inbound_at,
          },
          log,
        )) ?? null;
    } catch (err) {
      await this.failed(row, err, log);
      return;
    }
    await this.opts.db.query(
      `UPDATE channel_delivery SET status = 'sent', sent_at = now(), claimed_at = NULL, provider_message_id = $2,
         recipient_sealed = NULL, last_error = NULL, updated_at = now() WHERE delivery_id = $1`,
      [row.delivery_id, providerMessageId],
    );
    // Per message, so at debug: aduan_channel_outbound_total counts them for ops.
    log.debug('message sent');
    this.count(row, 'sent');
    await this.tell(row, 'sent', null, log);
  }

  private async failed(row: Claimed, err: unknown, log: Logger): Promise<void> {
    const reason = (err instanceof Error ? `${err.name}: ${err.message}` : String(err)).slice(0, 500);
    if (err instanceof PermanentError) {
      await this.opts.db.query(
        `UPDATE channel_delivery SET status = 'failed', claimed_at = NULL, recipient_sealed = NULL, last_error = $2,
           updated_at = now() WHERE delivery_id = $1`,
        [row.delivery_id, reason],
      );
      log.warn('message refused for good', { code: err.code, error: err.message });
      this.count(row, 'failed');
      await this.tell(row, 'failed', reason, log);
      return;
    }
    const delay = backoffDelay(row.attempts, this.opts.retryBaseMs ?? 1000, this.opts.retryMaxMs ?? 300_000);
    await this.opts.db.query(
      `UPDATE channel_delivery SET status = 'pending', claimed_at = NULL, last_error = $2,
         next_attempt_at = now() + make_interval(secs => $3::double precision / 1000), updated_at = now()
       WHERE delivery_id = $1`,
      [row.delivery_id, reason, delay],
    );
    log.warn('message not sent, will retry', { error: reason, retryInMs: delay });
    this.count(row, 'retry');
  }

  /** Best effort: the message's own state is in the store already; officers learn of it here. */
  private async tell(
    row: Claimed,
    status: 'sent' | 'failed',
    reason: string | null,
    log: Logger,
  ): Promise<void> {
    try {
      await this.opts.outbox.reportOutcome(
        { deliveryId: row.delivery_id, reportId: row.report_id, channel: row.channel, kind: row.kind },
        status,
        reason,
      );
    } catch (err) {
      log.warn('delivery outcome not published', { error: err instanceof Error ? err.message : String(err) });
    }
  }

  private count(row: Claimed, result: string): void {
    this.opts.metrics
      ?.counter('aduan_channel_outbound_total', 'Messages to citizens, by channel, kind and result', [
        'channel',
        'kind',
        'result',
      ])
      .inc({ channel: row.channel, kind: row.kind, result });
  }
}
