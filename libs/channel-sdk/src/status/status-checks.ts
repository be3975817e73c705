/**
 * "cek <code>" by message (ADR 0049): the conversation rules recognise the request, this answers
 * it. The answer is a reply in the outbox like any other, queued once per source message, but
 * its text is written only when the worker sends it: the report is read from the status
 * service's public API at that moment, and while that service is away the send fails like a
 * provider outage and is tried again later. A check is never answered "not found" because
 * nothing answered.
 *
 * Each sender (by the keyed hash of their address) gets `perHour` answers an hour, so codes
 * cannot be walked by message; the first check over the limit is told so, later ones get nothing.
 */
import { defineConfig, type Logger, type Metrics } from '@aduan/platform';
import type { DataSource } from 'typeorm';
import type { InboundMessage } from '../conversation/conversation-rules';
import type { StatusCheckRequest } from '../conversation/status-check-request';
import type { ChannelMessage, MessageStyle } from '../delivery/templates';
import { deliveryIds } from '../outbound/delivery-ids';
import type { Outbox } from '../outbound/outbox';
import type { OutboundSender } from '../outbound/outbox-worker';
import type { Conversations } from '../store/conversations';
import { fetchPublicReport } from './public-report';
import {
  checkByPageMessage,
  reportStatusMessage,
  tooManyChecksMessage,
  unknownReportMessage,
} from './status-answers';

/** What every chat-like adapter reads to answer checks; an adapter's own STATUS_BASE_URL wins. */
export const statusCheckSettings = defineConfig({
  STATUS_BASE_URL: {
    kind: 'url',
    description:
      'The status service, whose public API answers "cek <code>" messages with the report\'s state',
    example: 'http://status:3300',
    dev: 'http://127.0.0.1:3300',
    optional: true,
    offWhenUnset: 'the report\'s state in answers to "cek <code>" (they get the tracking link instead)',
  },
  STATUS_CHECKS_PER_HOUR: {
    kind: 'int',
    description: 'How many "cek <code>" messages one sender is answered per hour, on each channel',
    default: '10',
    min: 1,
    max: 1000,
  },
});

/** Kept with the queued reply: what the worker needs to write the answer when it sends it. */
interface PendingCheck {
  /** Null: nothing to look up, the queued text is the answer. */
  trackingCode: string | null;
  style: MessageStyle;
  /** When the citizen asked: providers with reply windows (WhatsApp) may answer as a reply. */
  askedAt: string;
}

type CheckReply = ChannelMessage & { statusCheck?: PendingCheck };

export interface StatusChecksOptions {
  db: DataSource;
  conversations: Conversations;
  outbox: Outbox;
  /** Unset: no state by message, the citizen is sent the link to the tracking page. */
  statusBaseUrl: string | undefined;
  perHour: number;
  trackingUrl: (trackingCode: string) => string;
  log: Logger;
  /** Counts checks by outcome: many `limited`/`ignored` is someone trying codes. */
  metrics?: Metrics;
}

export type CheckOutcome = 'queued' | 'limited' | 'ignored';

const HOUR_MS = 3_600_000;

export class StatusChecks {
  constructor(private readonly opts: StatusChecksOptions) {}

  /** Queues the answer to a check, once per source message, within the sender's hourly allowance. */
  async answer(m: InboundMessage, request: StatusCheckRequest, style: MessageStyle): Promise<CheckOutcome> {
    const outcome = await this.queue(m, request, style);
    this.opts.metrics
      ?.counter('aduan_channel_status_checks_total', '"cek <code>" messages, by channel and outcome', [
        'channel',
        'outcome',
      ])
      .inc({ channel: m.channel, outcome });
    return outcome;
  }

  private async queue(
    m: InboundMessage,
    request: StatusCheckRequest,
    style: MessageStyle,
  ): Promise<CheckOutcome> {
    const rank = await this.rank(m);
    const { perHour, statusBaseUrl, trackingUrl, outbox, log } = this.opts;
    if (rank > perHour + 1) {
      log.info('status check over the hourly limit, not answered', { channel: m.channel });
      return 'ignored';
    }
    const { trackingCode } = request;
    let message: ChannelMessage;
    let lookUp: string | null = null;
    if (rank > perHour) message = tooManyChecksMessage();
    else if (!trackingCode) message = unknownReportMessage();
    else if (!statusBaseUrl) message = checkByPageMessage(trackingUrl(trackingCode));
    else {
      message = unknownReportMessage(); // replaced when sent
      lookUp = trackingCode;
    }
    const reply: CheckReply = {
      ...message,
      statusCheck: { trackingCode: lookUp, style, askedAt: m.receivedAt.toISOString() },
    };
    await outbox.enqueue({
      deliveryId: deliveryIds.reply(m.channel, 'status-check', m.sourceId),
      channel: m.channel,
      kind: 'reply',
      to: m.replyTo,
      message: reply,
    });
    log.info('status check queued', { channel: m.channel, limited: rank > perHour });
    return rank > perHour ? 'limited' : 'queued';
  }

  /**
   * The adapter's sender, writing check answers first. The status service being away (or
   * answering what cannot be read) is an ordinary error: the worker tries again with backoff.
   */
  answering(send: OutboundSender): OutboundSender {
    return async (request, log) => {
      const check = (request.message as CheckReply).statusCheck;
      if (!check) return send(request, log);
      let message: ChannelMessage = { subject: request.message.subject, text: request.message.text };
      const base = this.opts.statusBaseUrl;
      if (check.trackingCode) {
        const url = this.opts.trackingUrl(check.trackingCode);
        if (!base) message = checkByPageMessage(url);
        else {
          const view = await fetchPublicReport(base, check.trackingCode);
          message = view ? reportStatusMessage(view, url, check.style) : unknownReportMessage();
        }
      }
      return send(
        { ...request, message, lastInboundAt: request.lastInboundAt ?? new Date(check.askedAt) },
        log,
      );
    };
  }

  /**
   * Where this message stands among the sender's checks of the last hour (1 = first). Recorded
   * once per source message with the time it was first seen, so a redelivery ranks the same.
   */
  private async rank(m: InboundMessage): Promise<number> {
    const { db, conversations } = this.opts;
    const sender = conversations.addressKey(m.channel, m.from);
    await db.query(
      `INSERT INTO channel_status_check (channel, source_id, address_hash) VALUES ($1, $2, $3)
       ON CONFLICT (channel, source_id) DO NOTHING`,
      [m.channel, m.sourceId, sender],
    );
    const [row] = (await db.query(
      `SELECT count(*)::int AS rank FROM channel_status_check c, channel_status_check me
        WHERE me.channel = $1 AND me.source_id = $2
          AND c.channel = me.channel AND c.address_hash = me.address_hash
          AND c.checked_at > me.checked_at - make_interval(secs => $3::double precision / 1000)
          AND (c.checked_at, c.source_id) <= (me.checked_at, me.source_id)`,
      [m.channel, m.sourceId, HOUR_MS],
    )) as Array<{ rank: number }>;
    // Nothing about anyone is kept longer than the limit needs.
    await db.query(`DELETE FROM channel_status_check WHERE checked_at < now() - interval '1 day'`);
    return row?.rank ?? 1;
  }
}
