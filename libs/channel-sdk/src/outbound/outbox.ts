/**
 * The outbox: every message to a citizen (acknowledgement, reply, notification) is first written
 * to the channel store, `pending`, with its text and its recipient sealed; the OutboxWorker sends
 * it. Writing is idempotent by delivery id, so a re-read source message or a redelivered
 * notification queues nothing twice, and a message queued before a crash is sent after the
 * restart. The sealed recipient is cleared once the message is sent.
 */
import type { Channel, DeliveryOutcome } from '@aduan/contracts';
import type { DataSource } from 'typeorm';
import type { ChannelMessage } from '../delivery/templates';
import type { DeliveryKind } from './delivery-ids';
import type { Sealer } from './sealed';

export interface Recipient {
  /** Phone number, e-mail address, chat id, handle: whatever the channel answers to. */
  address: string;
  /** Channel thread info a reply goes onto (e-mail Message-ID, a WhatsApp number id…). */
  thread?: string;
}

export interface OutboundMessage {
  deliveryId: string;
  channel: Channel;
  kind: DeliveryKind;
  reportId?: string;
  to: Recipient;
  message: ChannelMessage;
}

export type ReceiptStatus = 'delivered' | 'read' | 'failed';

export interface DeliveryView {
  deliveryId: string;
  channel: Channel;
  kind: DeliveryKind;
  reportId: string | null;
  status: 'pending' | 'sending' | 'sent' | 'failed';
  attempts: number;
  lastError: string | null;
  providerMessageId: string | null;
  receipt: ReceiptStatus | null;
  receiptError: string | null;
  /** Whether the recipient is still kept (only until the message is sent). */
  holdsRecipient: boolean;
}

interface ViewRow {
  delivery_id: string;
  channel: Channel;
  kind: DeliveryKind;
  report_id: string | null;
  status: DeliveryView['status'];
  attempts: number;
  last_error: string | null;
  provider_message_id: string | null;
  receipt: ReceiptStatus | null;
  receipt_error: string | null;
  recipient_sealed: string | null;
}

/** Tells officers what became of a message (the runner publishes `aduan.delivery.outcome.v1`). */
export type OutcomeListener = (outcome: DeliveryOutcome) => Promise<void>;

export class Outbox {
  /** Wakes the worker as soon as something is queued, instead of at its next poll. */
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly db: DataSource,
    private readonly sealer: Sealer,
    private readonly onOutcome: OutcomeListener = async () => undefined,
  ) {}

  /** @internal the worker and receipts report outcomes of messages that belong to a report. */
  async reportOutcome(
    view: Pick<DeliveryView, 'deliveryId' | 'reportId' | 'channel' | 'kind'>,
    status: DeliveryOutcome['status'],
    reason?: string | null,
  ): Promise<void> {
    if (!view.reportId) return;
    await this.onOutcome({
      deliveryId: view.deliveryId,
      reportId: view.reportId,
      channel: view.channel,
      kind: view.kind,
      status,
      ...(reason ? { reason: reason.slice(0, 500) } : {}),
      at: new Date().toISOString(),
    });
  }

  /** Queues the message unless a message with this delivery id was queued before; true when queued now. */
  async enqueue(m: OutboundMessage): Promise<boolean> {
    const rows = (await this.db.query(
      `INSERT INTO channel_delivery (delivery_id, channel, report_id, kind, status, attempts, recipient_sealed, message, next_attempt_at)
       VALUES ($1, $2, $3, $4, 'pending', 0, $5, $6, now())
       ON CONFLICT (delivery_id) DO NOTHING
       RETURNING delivery_id`,
      [
        m.deliveryId,
        m.channel,
        m.reportId ?? null,
        m.kind,
        this.sealer.seal(m.to),
        JSON.stringify(m.message),
      ],
    )) as unknown[];
    if (rows.length) for (const wake of this.listeners) wake();
    return rows.length > 0;
  }

  /**
   * A receipt the provider sent later (WhatsApp `statuses`, an SMS delivery report): "sent" then
   * means delivered, or is corrected to failed. Receipts may arrive out of order; `read` is never
   * downgraded to `delivered`.
   */
  async recordReceipt(
    channel: Channel,
    providerMessageId: string,
    status: ReceiptStatus,
    error?: string,
  ): Promise<DeliveryView | null> {
    const rows = (await this.db.query(
      `UPDATE channel_delivery SET receipt = $3, receipt_error = $4, receipt_at = now(), updated_at = now()
        WHERE channel = $1 AND provider_message_id = $2
          AND NOT (receipt = 'read' AND $3 = 'delivered')
        RETURNING delivery_id`,
      [channel, providerMessageId, status, error?.slice(0, 500) ?? null],
    )) as unknown;
    const [updated] = returnedRows<{ delivery_id: string }>(rows);
    const view = updated ? await this.find(updated.delivery_id) : null;
    if (view) await this.reportOutcome(view, status, error);
    return view;
  }

  async find(deliveryId: string): Promise<DeliveryView | null> {
    const rows = (await this.db.query(
      `SELECT delivery_id, channel, kind, report_id, status, attempts, last_error, provider_message_id,
              receipt, receipt_error, recipient_sealed
         FROM channel_delivery WHERE delivery_id = $1`,
      [deliveryId],
    )) as ViewRow[];
    const r = rows[0];
    return r
      ? {
          deliveryId: r.delivery_id,
          channel: r.channel,
          kind: r.kind,
          reportId: r.report_id,
          status: r.status,
          attempts: r.attempts,
          lastError: r.last_error,
          providerMessageId: r.provider_message_id,
          receipt: r.receipt,
          receiptError: r.receipt_error,
          holdsRecipient: r.recipient_sealed !== null,
        }
      : null;
  }

  /** @internal the worker's wake-up. */
  onEnqueue(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** TypeORM answers an UPDATE … RETURNING on PostgreSQL with [rows, count], an INSERT with rows. */
export function returnedRows<T>(result: unknown): T[] {
  if (
    Array.isArray(result) &&
    result.length === 2 &&
    Array.isArray(result[0]) &&
    typeof result[1] === 'number'
  )
    return result[0] as T[];
  return result as T[];
}
