/**
 * Conversations: which report a citizen's next message on a channel belongs to, and where
 * replies to them thread.
 *
 * - `open` records (channel, address) → report id + tracking code + thread info when a report is
 *   created; `touch` moves its last activity on a follow-up. One row per report: the address's
 *   open report is its most recently active one, and older reports keep their thread info.
 * - `findOpen(channel, address, { withinMs })` answers "does this sender have a report still
 *   open in the window?" (WhatsApp/SMS: the same number writing again continues its report).
 * - `linkThread` / `findByThread` map channel thread keys (e-mail Message-IDs, WhatsApp context
 *   ids) to a report, so a reply in a thread attaches to its report whoever sends it.
 * - `recordFollowUp` / `keepFollowUp` keep what a follow-up message added (text, attachments,
 *   place) with its report; `FollowUpIntake` publishes the kept row.
 * - `findByReport` gives the thread info to reply on when a notification arrives.
 *
 * Addresses are never stored in clear: the key is an HMAC-SHA-256 of the normalized address
 * (lower-cased, spaces removed) under a server secret, so a leaked table does not reveal who
 * wrote, and phone numbers (a small space) cannot be recovered by hashing every number.
 */
import { createHmac } from 'node:crypto';
import type { Attachment, Channel, GeoPoint } from '@aduan/contracts';
import { CoalescingWriter, DEFAULT_COALESCING, type CoalescingOptions } from '@aduan/persistence';
import type { DataSource } from 'typeorm';
import type { Recipient } from '../outbound/outbox';
import { Sealer } from '../outbound/sealed';

/** Adapter-defined thread info, e.g. { messageId, references } for e-mail. Not personal data. */
export type ThreadInfo = Record<string, unknown>;

export interface Conversation {
  channel: Channel;
  reportId: string;
  trackingCode: string;
  thread: ThreadInfo;
  openedAt: Date;
  lastActivityAt: Date;
}

export interface ThreadMatch {
  reportId: string;
  trackingCode: string;
}

interface ConversationRow {
  channel: Channel;
  report_id: string;
  tracking_code: string;
  thread: ThreadInfo;
  opened_at: Date;
  last_activity_at: Date;
}

function fromRow(r: ConversationRow): Conversation {
  return {
    channel: r.channel,
    reportId: r.report_id,
    trackingCode: r.tracking_code,
    thread: r.thread,
    openedAt: r.opened_at,
    lastActivityAt: r.last_activity_at,
  };
}

export interface FollowUpInput {
  channel: Channel;
  sourceId: string;
  reportId: string;
  text: string;
  attachments?: Attachment[];
  /** The message's own time. */
  receivedAt?: Date;
  /** What a reply to this message threads onto (its Message-ID, the WhatsApp number id). */
  thread?: string;
  location?: GeoPoint;
}

export interface KeptFollowUp {
  channel: Channel;
  sourceId: string;
  reportId: string;
  text: string;
  attachments: Attachment[];
  receivedAt: Date;
  thread: string | null;
  location: GeoPoint | null;
  /** When the adapter first recorded it. */
  recordedAt: Date;
}

interface FollowUpRow {
  channel: Channel;
  source_id: string;
  report_id: string;
  text: string;
  attachments: Attachment[];
  received_at: Date;
  thread: string | null;
  location: GeoPoint | null;
  created_at: Date;
}

const FOLLOW_UP_COLUMNS =
  'channel, source_id, report_id, text, attachments, received_at, thread, location, created_at';

function keptFromRow(r: FollowUpRow): KeptFollowUp {
  return {
    channel: r.channel,
    sourceId: r.source_id,
    reportId: r.report_id,
    text: r.text,
    attachments: r.attachments,
    receivedAt: new Date(r.received_at),
    thread: r.thread,
    location: r.location,
    recordedAt: new Date(r.created_at),
  };
}

/** One `open`, as its row is written. */
interface Opened {
  channel: Channel;
  addressHash: string;
  reportId: string;
  trackingCode: string;
  thread: string;
  at: Date;
  replyTo: string | null;
}

export class Conversations {
  private readonly sealer: Sealer;
  private readonly opens: CoalescingWriter<Opened>;

  constructor(
    private readonly db: DataSource,
    private readonly secret: string,
    coalescing: CoalescingOptions = DEFAULT_COALESCING,
  ) {
    this.sealer = new Sealer(secret);
    this.opens = new CoalescingWriter((batch) => this.openBatch(batch), coalescing);
  }

  /** Resolves once every conversation opened so far is stored or has failed (before the pool closes). */
  drain(): Promise<void> {
    return this.opens.drain();
  }

  /** The stored key of an address; exposed so tests can check that no address is stored in clear. */
  addressKey(channel: Channel, address: string): string {
    const normalized = address.trim().toLowerCase().replace(/\s+/g, '');
    return createHmac('sha256', this.secret).update(`${channel}:${normalized}`).digest('hex');
  }

  /** This address's current report on the channel is now `reportId` (older ones stay, less recent). */
  async open(c: {
    channel: Channel;
    address: string;
    reportId: string;
    trackingCode: string;
    thread?: ThreadInfo;
    at?: Date;
    /** How the adapter answers this citizen about this report; kept sealed, the adapter's own record. */
    replyTo?: Recipient;
  }): Promise<void> {
    await this.opens.write({
      channel: c.channel,
      addressHash: this.addressKey(c.channel, c.address),
      reportId: c.reportId,
      trackingCode: c.trackingCode,
      thread: JSON.stringify(c.thread ?? {}),
      at: c.at ?? new Date(),
      replyTo: c.replyTo ? this.sealer.seal(c.replyTo) : null,
    });
  }

  /**
   * Concurrent opens share one statement (ADR 0077). A row can be written once per statement:
   * of two opens of one conversation in a batch the later stands, as it would one after the
   * other (its reply address falling back to the earlier's). Rows go in key order, so two
   * instances' batches lock shared rows in one order.
   */
  private async openBatch(batch: readonly Opened[]): Promise<void[]> {
    const rows = new Map<string, Opened>();
    for (const o of batch) {
      const id = `${o.channel}\u0000${o.addressHash}\u0000${o.reportId}`;
      const earlier = rows.get(id);
      rows.set(id, earlier && !o.replyTo ? { ...o, replyTo: earlier.replyTo } : o);
    }
    const ordered = [...rows].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, o]) => o);
    await this.db.query(
      `INSERT INTO channel_conversation (channel, address_hash, report_id, tracking_code, thread, opened_at, last_activity_at, reply_to_sealed)
       SELECT channel, address_hash, report_id, tracking_code, thread, at, at, reply_to
         FROM unnest($1::text[], $2::text[], $3::uuid[], $4::text[], $5::jsonb[], $6::timestamptz[], $7::text[])
           AS v(channel, address_hash, report_id, tracking_code, thread, at, reply_to)
       ON CONFLICT (channel, address_hash, report_id) DO UPDATE SET
         tracking_code = EXCLUDED.tracking_code, thread = EXCLUDED.thread, last_activity_at = EXCLUDED.last_activity_at,
         reply_to_sealed = COALESCE(EXCLUDED.reply_to_sealed, channel_conversation.reply_to_sealed)`,
      [
        ordered.map((o) => o.channel),
        ordered.map((o) => o.addressHash),
        ordered.map((o) => o.reportId),
        ordered.map((o) => o.trackingCode),
        ordered.map((o) => o.thread),
        ordered.map((o) => o.at),
        ordered.map((o) => o.replyTo),
      ],
    );
    return batch.map(() => undefined);
  }

  /**
   * The sender's own report with this tracking code: quoting a code attaches a message only when
   * it comes from the address that reported it, so a stranger who learns a code cannot add to it.
   */
  async findOwnByTrackingCode(
    channel: Channel,
    address: string,
    trackingCode: string,
  ): Promise<ThreadMatch | null> {
    const rows = (await this.db.query(
      `SELECT report_id, tracking_code FROM channel_conversation
        WHERE channel = $1 AND address_hash = $2 AND tracking_code = $3 LIMIT 1`,
      [channel, this.addressKey(channel, address), trackingCode],
    )) as Array<{ report_id: string; tracking_code: string }>;
    return rows[0] ? { reportId: rows[0].report_id, trackingCode: rows[0].tracking_code } : null;
  }

  /** Where a message about this report goes on the channel, from the adapter's own record. */
  async replyAddress(channel: Channel, reportId: string): Promise<Recipient | null> {
    const rows = (await this.db.query(
      `SELECT reply_to_sealed FROM channel_conversation
        WHERE channel = $1 AND report_id = $2 AND reply_to_sealed IS NOT NULL
        ORDER BY last_activity_at DESC LIMIT 1`,
      [channel, reportId],
    )) as Array<{ reply_to_sealed: string }>;
    return rows[0] ? this.sealer.open<Recipient>(rows[0].reply_to_sealed) : null;
  }

  /**
   * A follow-up arrived: keep the conversation alive and, if given, merge new thread info. Without
   * `reportId` it is the address's open (most recent) report.
   */
  async touch(
    channel: Channel,
    address: string,
    thread?: ThreadInfo,
    at = new Date(),
    reportId?: string,
  ): Promise<void> {
    await this.db.query(
      // A message on the report answers whatever question was open on it (ADR 0074).
      `UPDATE channel_conversation SET last_activity_at = GREATEST(last_activity_at, $3), thread = thread || $4::jsonb,
         answer_expected_until = NULL
       WHERE channel = $1 AND address_hash = $2 AND report_id = COALESCE($5::uuid, (
         SELECT report_id FROM channel_conversation WHERE channel = $1 AND address_hash = $2 ORDER BY last_activity_at DESC LIMIT 1))`,
      [channel, this.addressKey(channel, address), at, JSON.stringify(thread ?? {}), reportId ?? null],
    );
  }

  /** The address's report when its last activity is within `withinMs` (no window: any age). */
  async findOpen(
    channel: Channel,
    address: string,
    opts: { withinMs?: number; now?: Date } = {},
  ): Promise<Conversation | null> {
    const rows = (await this.db.query(
      `SELECT channel, report_id, tracking_code, thread, opened_at, last_activity_at FROM channel_conversation
       WHERE channel = $1 AND address_hash = $2 ORDER BY last_activity_at DESC LIMIT 1`,
      [channel, this.addressKey(channel, address)],
    )) as ConversationRow[];
    const row = rows[0];
    if (!row) return null;
    const now = (opts.now ?? new Date()).getTime();
    if (opts.withinMs !== undefined && now - new Date(row.last_activity_at).getTime() > opts.withinMs)
      return null;
    return fromRow(row);
  }

  /**
   * An officer asked this report's citizen a question (ADR 0074): their next message on the
   * channel answers it until `until`, whatever the conversation window says.
   */
  async expectAnswer(channel: Channel, reportId: string, until: Date): Promise<void> {
    await this.db.query(
      `UPDATE channel_conversation SET answer_expected_until = GREATEST(answer_expected_until, $3)
        WHERE channel = $1 AND report_id = $2`,
      [channel, reportId, until],
    );
  }

  /** The report whose question this address is still expected to answer (the latest asked wins). */
  async findAwaitedAnswer(channel: Channel, address: string, now = new Date()): Promise<ThreadMatch | null> {
    const rows = (await this.db.query(
      `SELECT report_id, tracking_code FROM channel_conversation
        WHERE channel = $1 AND address_hash = $2 AND answer_expected_until > $3
        ORDER BY answer_expected_until DESC LIMIT 1`,
      [channel, this.addressKey(channel, address), now],
    )) as Array<{ report_id: string; tracking_code: string }>;
    return rows[0] ? { reportId: rows[0].report_id, trackingCode: rows[0].tracking_code } : null;
  }

  /** The most recently active conversation about a report on a channel (to thread a reply). */
  async findByReport(channel: Channel, reportId: string): Promise<Conversation | null> {
    const rows = (await this.db.query(
      `SELECT channel, report_id, tracking_code, thread, opened_at, last_activity_at FROM channel_conversation
       WHERE channel = $1 AND report_id = $2 ORDER BY last_activity_at DESC LIMIT 1`,
      [channel, reportId],
    )) as ConversationRow[];
    return rows[0] ? fromRow(rows[0]) : null;
  }

  /** Messages carrying any of these keys (In-Reply-To, References…) belong to the report. */
  async linkThread(channel: Channel, keys: readonly string[], report: ThreadMatch): Promise<void> {
    for (const key of new Set(keys.filter(Boolean))) {
      await this.db.query(
        `INSERT INTO channel_thread (channel, thread_key, report_id, tracking_code) VALUES ($1, $2, $3, $4)
         ON CONFLICT (channel, thread_key) DO NOTHING`,
        [channel, key, report.reportId, report.trackingCode],
      );
    }
  }

  /** The report of the first key found, trying keys in the order given (most specific first). */
  async findByThread(channel: Channel, keys: readonly string[]): Promise<ThreadMatch | null> {
    if (!keys.length) return null;
    const rows = (await this.db.query(
      `SELECT thread_key, report_id, tracking_code FROM channel_thread WHERE channel = $1 AND thread_key = ANY($2)`,
      [channel, [...keys]],
    )) as Array<{ thread_key: string; report_id: string; tracking_code: string }>;
    for (const key of keys) {
      const hit = rows.find((r) => r.thread_key === key);
      if (hit) return { reportId: hit.report_id, trackingCode: hit.tracking_code };
    }
    return null;
  }

  /** Keeps what a follow-up added; the same source message recorded twice is kept once. Returns false on a repeat. */
  async recordFollowUp(f: FollowUpInput): Promise<boolean> {
    return (await this.keepFollowUp(f)).fresh;
  }

  /**
   * Like `recordFollowUp`, but answers the row as stored: on a repeat that is the first
   * recording (its report, text and times), so whatever is published from it is the same each time.
   */
  async keepFollowUp(f: FollowUpInput): Promise<{ followUp: KeptFollowUp; fresh: boolean }> {
    const inserted = (await this.db.query(
      `INSERT INTO channel_follow_up (channel, source_id, report_id, text, attachments, received_at, thread, location)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (channel, source_id) DO NOTHING
       RETURNING ${FOLLOW_UP_COLUMNS}`,
      [
        f.channel,
        f.sourceId,
        f.reportId,
        f.text,
        JSON.stringify(f.attachments ?? []),
        f.receivedAt ?? new Date(),
        f.thread ?? null,
        f.location ? JSON.stringify(f.location) : null,
      ],
    )) as FollowUpRow[];
    if (inserted[0]) return { followUp: keptFromRow(inserted[0]), fresh: true };
    const [kept] = (await this.db.query(
      `SELECT ${FOLLOW_UP_COLUMNS} FROM channel_follow_up WHERE channel = $1 AND source_id = $2`,
      [f.channel, f.sourceId],
    )) as FollowUpRow[];
    if (!kept) throw new Error(`follow-up ${f.channel}:${f.sourceId} neither inserted nor found`);
    return { followUp: keptFromRow(kept), fresh: false };
  }

  async followUps(
    reportId: string,
  ): Promise<
    Array<{ channel: Channel; sourceId: string; text: string; attachments: Attachment[]; receivedAt: Date }>
  > {
    const rows = (await this.db.query(
      `SELECT channel, source_id, text, attachments, received_at FROM channel_follow_up WHERE report_id = $1 ORDER BY received_at, source_id`,
      [reportId],
    )) as Array<{
      channel: Channel;
      source_id: string;
      text: string;
      attachments: Attachment[];
      received_at: Date;
    }>;
    return rows.map((r) => ({
      channel: r.channel,
      sourceId: r.source_id,
      text: r.text,
      attachments: r.attachments,
      receivedAt: r.received_at,
    }));
  }
}
