/**
 * The reply book: for each report an adapter opened, how it answers that report's citizen,
 * sealed (the address and its thread). Written by `ComplaintIntake` before the complaint is
 * published, read by `NotificationQueue`: a notification names only its report, never an address
 * (ADR 0055). The first entry stays: a redelivered or resubmitted complaint does not move it.
 * Concurrent entries share one statement (ADR 0077); `record` resolves once its row is stored.
 */
import type { Channel, ReporterContact } from '@aduan/contracts';
import { CoalescingWriter, DEFAULT_COALESCING, type CoalescingOptions } from '@aduan/persistence';
import type { DataSource } from 'typeorm';
import type { Recipient } from '../outbound/outbox';
import { Sealer } from '../outbound/sealed';

interface Entry {
  channel: Channel;
  reportId: string;
  sealed: string;
}

export class ReplyBook {
  private readonly sealer: Sealer;
  private readonly entries: CoalescingWriter<Entry>;

  constructor(
    private readonly db: DataSource,
    secret: string,
    coalescing: CoalescingOptions = DEFAULT_COALESCING,
  ) {
    this.sealer = new Sealer(secret);
    this.entries = new CoalescingWriter((batch) => this.insert(batch), coalescing);
  }

  async record(channel: Channel, reportId: string, to: Recipient): Promise<void> {
    await this.entries.write({ channel, reportId, sealed: this.sealer.seal(to) });
  }

  /** Resolves once every entry recorded so far is stored or has failed (before the pool closes). */
  drain(): Promise<void> {
    return this.entries.drain();
  }

  private async insert(batch: readonly Entry[]): Promise<void[]> {
    await this.db.query(
      `INSERT INTO channel_reply_book (channel, report_id, reply_to_sealed)
       SELECT * FROM unnest($1::text[], $2::uuid[], $3::text[])
       ON CONFLICT (channel, report_id) DO NOTHING`,
      [batch.map((e) => e.channel), batch.map((e) => e.reportId), batch.map((e) => e.sealed)],
    );
    return batch.map(() => undefined);
  }

  async find(channel: Channel, reportId: string): Promise<Recipient | null> {
    const [row] = (await this.db.query(
      `SELECT reply_to_sealed FROM channel_reply_book WHERE channel = $1 AND report_id = $2`,
      [channel, reportId],
    )) as Array<{ reply_to_sealed: string }>;
    return row ? this.sealer.open<Recipient>(row.reply_to_sealed) : null;
  }
}

/**
 * Where an adapter answers this reporter (ADR 0015): the address it named in `replyTo` (null:
 * it does not answer), else the first contact they left: handle, phone, e-mail.
 */
export function replyAddressOf(reporter: ReporterContact): string | null {
  if (reporter.replyTo !== undefined) return reporter.replyTo || null;
  return reporter.handle || reporter.phone || reporter.email || null;
}
