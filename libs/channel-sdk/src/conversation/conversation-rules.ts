/**
 * The rules every message from a citizen goes through, on every chat-like channel (e-mail,
 * WhatsApp, SMS, Telegram, Messenger…), written once:
 *
 *   0. "cek <code>" / "status <code>" (the e-mail's       → the report's public state, to the
 *      subject, or the whole text of a message              sender only; no report, no follow-up
 *      without photo or place)                              (ADR 0049);
 *   1. nothing to act on (no text, no photo, no place)   → ask for details;
 *   2. a reply in a thread that leads to a report, or     → a follow-up of that report;
 *      quoting the tracking code of the sender's own report
 *   3. the sender's next message after an officer's      → a follow-up of the report asked
 *      question (ADR 0074)                                  about;
 *   4. the same sender within the conversation window     → a follow-up of their open report;
 *   5. anything else                                      → a new report.
 *
 * The complaint or follow-up is on Kafka before `handle` resolves, so whatever the adapter
 * answers its source afterwards (a webhook's 200, the next cursor) never promises what could be
 * lost. The reply to the citizen goes into the outbox under an id derived from the source
 * message, so a re-read message queues nothing twice and a restart loses no reply.
 */
import type { Attachment, Channel, GeoPoint, ReporterContact } from '@aduan/contracts';
import type { Logger } from '@aduan/platform';
import type { ComplaintIntake, Receipt } from '../complaint-intake';
import {
  acknowledgementMessage,
  askForDetailsMessage,
  followUpReceivedMessage,
  type MessageStyle,
} from '../delivery/templates';
import type { FollowUpIntake } from '../follow-up-intake';
import type { SenderLimit } from '../limits/sender-limit';
import type { Outbox, Recipient } from '../outbound/outbox';
import { deliveryIds } from '../outbound/delivery-ids';
import type { StatusChecks } from '../status/status-checks';
import type { Conversations, ThreadInfo } from '../store/conversations';
import { statusCheckRequest } from './status-check-request';

export interface InboundMessage {
  channel: Channel;
  /** The message's own id on its channel: the report or follow-up id is derived from it. */
  sourceId: string;
  /** Who wrote, as the channel tells senders apart (a phone number, chat id, e-mail address). */
  from: string;
  /** The reporter as the complaint event carries them (contact, display name, anonymity). */
  reporter: ReporterContact;
  /** Where and how replies to this citizen go. */
  replyTo: Recipient;
  text: string;
  subject?: string;
  /** What a follow-up carries instead of subject and text (e-mail: not the "Re: …" of our own subject). */
  followUpText?: string;
  attachments?: Attachment[];
  location?: GeoPoint;
  receivedAt: Date;
  /** Thread keys this message answers (e-mail In-Reply-To/References, a quoted message id). */
  inReplyTo?: readonly string[];
  /** Tracking codes the message quotes (a subject "Re: … 7XK2M-…"); only the sender's own count. */
  quotedTrackingCodes?: readonly string[];
  /** Keys by which later replies will point at this message (its own Message-ID). */
  threadKeys?: readonly string[];
  /** Channel thread info kept with the conversation (not personal data). */
  thread?: ThreadInfo;
  /** Thread reference carried on the events (e.g. the WhatsApp number id that received it). */
  eventThread?: string;
  sourceUrl?: string;
  category?: string;
}

export type MessageOutcome =
  | { kind: 'opened'; receipt: Receipt }
  | { kind: 'continued'; reportId: string; trackingCode: string }
  | { kind: 'asked-for-details' }
  /** A "cek <code>": answered (or refused over the hourly limit) through the outbox. */
  | { kind: 'checked' };

export interface ConversationRulesOptions {
  intake: ComplaintIntake;
  followUps: FollowUpIntake;
  conversations: Conversations;
  outbox: Outbox;
  trackingUrl: (trackingCode: string) => string;
  log: Logger;
  /** A sender writing again within this window continues their report; 0 turns rule 3 off. */
  windowMs: number;
  /** `short` for SMS (fewest segments), `long` elsewhere. */
  style?: (m: InboundMessage) => MessageStyle;
  /** Answers "cek <code>" messages; absent, they are taken like any other message. */
  checks?: StatusChecks;
  /** Messages per sender; one over it throws SenderOverLimit, which the ingress quarantines. */
  senderLimit?: SenderLimit;
}

function isEmpty(m: InboundMessage): boolean {
  return !m.text.trim() && !m.attachments?.length && !m.location;
}

/**
 * A check is the e-mail's subject, or the whole of a chat message that carries no photo or
 * place (those are never dropped). Someone we cannot answer is not checking anything.
 */
function checkIn(m: InboundMessage) {
  if (!m.replyTo.address) return null;
  if (m.subject !== undefined) return statusCheckRequest(m.subject);
  if (m.attachments?.length || m.location) return null;
  return statusCheckRequest(m.text);
}

export class ConversationRules {
  constructor(private readonly opts: ConversationRulesOptions) {}

  async handle(m: InboundMessage): Promise<MessageOutcome> {
    await this.opts.senderLimit?.admit(m.channel, m.from);
    const style = this.opts.style?.(m) ?? 'long';
    const { checks } = this.opts;
    const check = checks ? checkIn(m) : null;
    if (checks && check) {
      await checks.answer(m, check, style);
      return { kind: 'checked' };
    }
    if (isEmpty(m)) {
      await this.reply(m, 'details', askForDetailsMessage(style));
      return { kind: 'asked-for-details' };
    }
    const own = this.opts.intake.receiptFor(m.channel, m.sourceId);
    const existing = await this.reportFor(m);
    // A redelivery of the message that opened a report is not a follow-up to itself.
    if (existing && existing.reportId !== own.reportId) return this.continueReport(m, existing, style);
    return this.openReport(m, style);
  }

  private async reportFor(m: InboundMessage): Promise<{ reportId: string; trackingCode: string } | null> {
    const { conversations } = this.opts;
    const byThread = await conversations.findByThread(m.channel, m.inReplyTo ?? []);
    if (byThread) return byThread;
    for (const code of m.quotedTrackingCodes ?? []) {
      const own = await conversations.findOwnByTrackingCode(m.channel, m.from, code);
      if (own) return own;
    }
    // An officer's open question: the sender's next message answers it (ADR 0074).
    const awaited = await conversations.findAwaitedAnswer(m.channel, m.from, m.receivedAt);
    if (awaited) return awaited;
    if (this.opts.windowMs <= 0) return null;
    return conversations.findOpen(m.channel, m.from, {
      withinMs: this.opts.windowMs,
      now: m.receivedAt,
    });
  }

  private async continueReport(
    m: InboundMessage,
    report: { reportId: string; trackingCode: string },
    style: MessageStyle,
  ): Promise<MessageOutcome> {
    const { followUps, conversations, log } = this.opts;
    await followUps.submit({
      channel: m.channel,
      sourceId: m.sourceId,
      reportId: report.reportId,
      text:
        m.followUpText ?? (m.subject && !m.text.includes(m.subject) ? `${m.subject}\n\n${m.text}` : m.text),
      attachments: m.attachments ?? [],
      receivedAt: m.receivedAt,
      ...(m.location ? { location: m.location } : {}),
      ...(m.eventThread ? { thread: m.eventThread } : {}),
    });
    await conversations.touch(m.channel, m.from, m.thread, m.receivedAt, report.reportId);
    await conversations.linkThread(m.channel, m.threadKeys ?? [], report);
    log.debug('message added to a report', { reportId: report.reportId, channel: m.channel });
    const facts = {
      trackingCode: report.trackingCode,
      trackingUrl: this.opts.trackingUrl(report.trackingCode),
    };
    await this.reply(m, 'follow-up', followUpReceivedMessage(facts, style), report.reportId);
    return { kind: 'continued', ...report };
  }

  private async openReport(m: InboundMessage, style: MessageStyle): Promise<MessageOutcome> {
    const { intake, conversations, outbox, log } = this.opts;
    const receipt = await intake.submit({
      channel: m.channel,
      sourceId: m.sourceId,
      receivedAt: m.receivedAt,
      reporter: m.reporter,
      text: m.text,
      attachments: m.attachments ?? [],
      visibility: 'public',
      ...(m.subject ? { subject: m.subject } : {}),
      ...(m.location ? { location: m.location } : {}),
      ...(m.eventThread ? { thread: m.eventThread } : {}),
      ...(m.sourceUrl ? { sourceUrl: m.sourceUrl } : {}),
      ...(m.category ? { category: m.category } : {}),
    });
    await conversations.open({
      channel: m.channel,
      address: m.from,
      reportId: receipt.reportId,
      trackingCode: receipt.trackingCode,
      thread: m.thread ?? {},
      at: m.receivedAt,
      replyTo: m.replyTo,
    });
    await conversations.linkThread(m.channel, m.threadKeys ?? [], receipt);
    log.debug('report opened', {
      reportId: receipt.reportId,
      channel: m.channel,
      attachments: m.attachments?.length ?? 0,
      location: Boolean(m.location),
    });
    await outbox.enqueue({
      deliveryId: deliveryIds.acknowledgement(receipt.reportId),
      channel: m.channel,
      kind: 'acknowledgement',
      reportId: receipt.reportId,
      to: m.replyTo,
      message: acknowledgementMessage(receipt, style),
    });
    return { kind: 'opened', receipt };
  }

  private async reply(
    m: InboundMessage,
    purpose: string,
    message: ReturnType<typeof askForDetailsMessage>,
    reportId?: string,
  ): Promise<void> {
    await this.opts.outbox.enqueue({
      deliveryId: deliveryIds.reply(m.channel, purpose, m.sourceId),
      channel: m.channel,
      kind: 'reply',
      ...(reportId ? { reportId } : {}),
      to: m.replyTo,
      message,
    });
  }
}
