import { backoffDelay, PermanentError, sleep } from '@aduan/bus';
import {
  type Acknowledgements,
  askForDetailsMessage,
  type ComplaintIntake,
  type Conversations,
  type FollowUpIntake,
  deliveryIds,
  followUpReceivedMessage,
  type ChannelMessage,
  type MessageStyle,
} from '@aduan/channel-sdk';
import type { Logger } from '@aduan/platform';
import { isEmpty, reportText, type InboundMessage } from './inbound-message';

/** Sends one message to the citizen who wrote `m`; returns the provider's message id. */
export type Reply = (
  m: InboundMessage,
  message: ChannelMessage,
  deliveryId: string,
) => Promise<string | void>;

export type IntakeOutcome =
  | { kind: 'opened'; reportId: string; trackingCode: string }
  | { kind: 'continued'; reportId: string; trackingCode: string }
  | { kind: 'asked-for-details' };

export interface MessageIntakeOptions {
  intake: ComplaintIntake;
  /** Records and publishes what a message adds to an open report. */
  followUps: FollowUpIntake;
  conversations: Conversations;
  acks: Acknowledgements;
  /** A number writing again within this window continues its open report (docs/adr/0020). */
  windowMs: number;
  /** The public tracking link of a code ({code} in PUBLIC_TRACKING_URL). */
  trackingUrl: (trackingCode: string) => string;
  log: Logger;
  replyAttempts?: number;
  replyBaseMs?: number;
}

/**
 * The rules every message from a phone number goes through, on WhatsApp and on SMS:
 * an empty message gets a request for details; a number with a report active within the window
 * adds to it; anything else opens a report. The complaint (or the follow-up) is on Kafka
 * before `handle` resolves, so the webhook's 200 never promises what could be lost.
 * The reply then goes out once per source message (delivery log), retried in the background.
 */
export class MessageIntake {
  private readonly stopping = new AbortController();
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly opts: MessageIntakeOptions,
    private readonly reply: Reply,
    private readonly style: MessageStyle,
  ) {}

  async handle(m: InboundMessage): Promise<IntakeOutcome> {
    const { intake, followUps, conversations, acks, log } = this.opts;
    if (isEmpty(m)) {
      this.replyLater(m, () =>
        acks.replyOnce(
          m.channel,
          deliveryIds.reply(m.channel, 'details', m.sourceId),
          askForDetailsMessage(this.style),
          (msg, id) => this.reply(m, msg, id),
        ),
      );
      return { kind: 'asked-for-details' };
    }

    const own = intake.receiptFor(m.channel, m.sourceId);
    const open = await conversations.findOpen(m.channel, m.from, {
      withinMs: this.opts.windowMs,
      now: m.receivedAt,
    });
    // A provider redelivering the message that opened the report is not a follow-up to itself.
    if (open && open.reportId !== own.reportId) {
      // On Kafka before the webhook's 200 and the "added to your report" reply.
      await followUps.submit({
        channel: m.channel,
        sourceId: m.sourceId,
        reportId: open.reportId,
        text: reportText(m),
        attachments: m.attachments,
        receivedAt: m.receivedAt,
        ...(m.location ? { location: m.location } : {}),
        ...(m.replyVia ? { thread: m.replyVia } : {}),
      });
      await conversations.touch(m.channel, m.from, undefined, m.receivedAt);
      const facts = {
        trackingCode: open.trackingCode,
        trackingUrl: this.opts.trackingUrl(open.trackingCode),
      };
      log.info('message added to an open report', { reportId: open.reportId, channel: m.channel });
      this.replyLater(m, () =>
        acks.replyOnce(
          m.channel,
          deliveryIds.reply(m.channel, 'follow-up', m.sourceId),
          followUpReceivedMessage(facts, this.style),
          (msg, id) => this.reply(m, msg, id),
          open.reportId,
        ),
      );
      return { kind: 'continued', reportId: open.reportId, trackingCode: open.trackingCode };
    }

    const receipt = await intake.submit({
      channel: m.channel,
      sourceId: m.sourceId,
      receivedAt: m.receivedAt,
      reporter: { anonymous: false, phone: m.from, ...(m.name ? { name: m.name } : {}) },
      text: reportText(m),
      attachments: m.attachments,
      ...(m.location ? { location: m.location } : {}),
      ...(m.replyVia ? { thread: m.replyVia } : {}),
      visibility: 'public',
    });
    await conversations.open({
      channel: m.channel,
      address: m.from,
      reportId: receipt.reportId,
      trackingCode: receipt.trackingCode,
      thread: m.replyVia ? { phoneNumberId: m.replyVia } : {},
      at: m.receivedAt,
    });
    log.info('report opened', {
      reportId: receipt.reportId,
      channel: m.channel,
      attachments: m.attachments.length,
      location: Boolean(m.location),
    });
    this.replyLater(m, () =>
      acks.sendOnce(m.channel, receipt, (msg, id) => this.reply(m, msg, id), this.style),
    );
    return { kind: 'opened', reportId: receipt.reportId, trackingCode: receipt.trackingCode };
  }

  /** Waits for replies still being retried (tests, shutdown). */
  async drain(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.drain();
  }

  /**
   * The webhook answers as soon as the complaint is safe; the reply follows. A provider outage
   * is retried with backoff here; the delivery log makes every retry (and every redelivered
   * webhook) send the reply at most once.
   */
  private replyLater(m: InboundMessage, send: () => Promise<unknown>): void {
    const attempts = this.opts.replyAttempts ?? 8;
    const run = async () => {
      for (let attempt = 1; attempt <= attempts && !this.stopping.signal.aborted; attempt++) {
        try {
          await send();
          return;
        } catch (err) {
          const permanent = err instanceof PermanentError;
          this.opts.log.warn('reply not sent', {
            channel: m.channel,
            attempt,
            permanent,
            error: err instanceof Error ? err.message : String(err),
          });
          if (permanent) return;
          await sleep(backoffDelay(attempt, this.opts.replyBaseMs ?? 500, 30_000), this.stopping.signal);
        }
      }
    };
    const p = run();
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }
}
