/**
 * The delivery log: every message to a citizen is sent once, across redeliveries and restarts.
 *
 * A message has a delivery id that is the same however often the cause is replayed: the
 * notification id for `aduan.notification.v1`, `ack:<reportId>` for the acknowledgement
 * (see `deliveryIds`). Sending goes through `deliver`:
 *
 *   1. claim the id: a row in `sending` with a lease. An id already `sent` is skipped; an id
 *      another worker is sending right now (lease not run out) is a transient error, retried later;
 *   2. call the provider;
 *   3. mark it `sent` (or `failed`, which frees it for the next attempt) and rethrow failures.
 *
 * The log is written before the Kafka offset is committed, so a restart between the provider's
 * answer and the commit finds `sent` and sends nothing. The one window left is a crash between
 * the provider accepting the message and step 3: that row stays `sending` until its lease runs
 * out and is then sent again (at least once, never silently lost). Providers that take an
 * idempotency key get the delivery id (e-mail uses it in the Message-ID) so they can drop that
 * repeat themselves.
 */
import type { Channel } from '@aduan/contracts';
import type { DataSource } from 'typeorm';

export type DeliveryKind = 'acknowledgement' | 'notification' | 'reply';

export const deliveryIds = {
  acknowledgement: (reportId: string): string => `ack:${reportId}`,
  notification: (notificationId: string): string => notificationId,
  /** A one-off reply caused by one source message (e.g. "please add details"). */
  reply: (channel: Channel, purpose: string, sourceId: string): string =>
    `reply:${channel}:${purpose}:${sourceId}`,
};

export interface DeliveryRequest {
  deliveryId: string;
  channel: Channel;
  kind: DeliveryKind;
  reportId?: string;
}

export interface DeliveryRecord {
  deliveryId: string;
  channel: Channel;
  reportId: string | null;
  kind: DeliveryKind;
  status: 'sending' | 'sent' | 'failed';
  attempts: number;
  sentAt: Date | null;
  providerMessageId: string | null;
}

export type DeliveryOutcome =
  { status: 'sent'; providerMessageId: string | null } | { status: 'already-sent' };

/** Thrown when another worker holds a live claim on the same delivery id; retry later. */
export class DeliveryInProgress extends Error {
  constructor(deliveryId: string) {
    super(`delivery ${deliveryId} is being sent by another worker`);
    this.name = 'DeliveryInProgress';
  }
}

interface Row {
  delivery_id: string;
  channel: Channel;
  report_id: string | null;
  kind: DeliveryKind;
  status: DeliveryRecord['status'];
  attempts: number;
  sent_at: Date | null;
  provider_message_id: string | null;
}

export class DeliveryLog {
  /**
   * @param leaseMs how long a claim protects a send in progress. Longer than any provider call
   * (their timeouts are shorter), short enough that an interrupted send is retried soon.
   */
  constructor(
    private readonly db: DataSource,
    private readonly leaseMs = 120_000,
  ) {}

  /**
   * Sends through `send` unless this delivery id was already sent. `send` returns the
   * provider's message id (or nothing); its errors are recorded and rethrown unchanged, so the
   * caller's error classification (PermanentError or not) still applies.
   */
  async deliver(request: DeliveryRequest, send: () => Promise<string | void>): Promise<DeliveryOutcome> {
    const claim = await this.claim(request);
    if (claim === 'sent') return { status: 'already-sent' };
    if (claim === 'busy') throw new DeliveryInProgress(request.deliveryId);
    let providerMessageId: string | null;
    try {
      providerMessageId = (await send()) ?? null;
    } catch (err) {
      await this.db.query(
        `UPDATE channel_delivery SET status = 'failed', claimed_at = NULL, last_error = $2, updated_at = now() WHERE delivery_id = $1`,
        [
          request.deliveryId,
          (err instanceof Error ? `${err.name}: ${err.message}` : String(err)).slice(0, 500),
        ],
      );
      throw err;
    }
    await this.db.query(
      `UPDATE channel_delivery SET status = 'sent', sent_at = now(), claimed_at = NULL, provider_message_id = $2,
         last_error = NULL, updated_at = now() WHERE delivery_id = $1`,
      [request.deliveryId, providerMessageId],
    );
    return { status: 'sent', providerMessageId };
  }

  async find(deliveryId: string): Promise<DeliveryRecord | null> {
    const rows = (await this.db.query(
      `SELECT delivery_id, channel, report_id, kind, status, attempts, sent_at, provider_message_id
       FROM channel_delivery WHERE delivery_id = $1`,
      [deliveryId],
    )) as Row[];
    const r = rows[0];
    if (!r) return null;
    return {
      deliveryId: r.delivery_id,
      channel: r.channel,
      reportId: r.report_id,
      kind: r.kind,
      status: r.status,
      attempts: r.attempts,
      sentAt: r.sent_at,
      providerMessageId: r.provider_message_id,
    };
  }

  async wasSent(deliveryId: string): Promise<boolean> {
    return (await this.find(deliveryId))?.status === 'sent';
  }

  /** One statement, so two workers racing for the same id cannot both win. */
  private async claim(r: DeliveryRequest): Promise<'claimed' | 'sent' | 'busy'> {
    const rows = (await this.db.query(
      `INSERT INTO channel_delivery (delivery_id, channel, report_id, kind, status, claimed_at)
       VALUES ($1, $2, $3, $4, 'sending', now())
       ON CONFLICT (delivery_id) DO UPDATE SET
         status = 'sending', claimed_at = now(), attempts = channel_delivery.attempts + 1, updated_at = now()
       WHERE channel_delivery.status = 'failed'
          OR (channel_delivery.status = 'sending' AND channel_delivery.claimed_at < now() - make_interval(secs => $5::double precision / 1000))
       RETURNING delivery_id`,
      [r.deliveryId, r.channel, r.reportId ?? null, r.kind, this.leaseMs],
    )) as Array<{ delivery_id: string }>;
    if (rows.length) return 'claimed';
    const current = await this.find(r.deliveryId);
    return current?.status === 'sent' ? 'sent' : 'busy';
  }
}
