import type { EventBus } from '@aduan/bus';
import {
  validateEvent,
  type Attachment,
  type Channel,
  type ComplaintReceived,
  type GeoPoint,
  type ReporterContact,
} from '@aduan/contracts';
import { inSpan, publicDescription, type Metrics } from '@aduan/platform';
import { InFlightLimit, IntakeSaturated } from './limits/in-flight';
import type { Recipient } from './outbound/outbox';
import { reportIdFor, trackingCodeFor } from './report-identity';
import { replyAddressOf } from './store/reply-book';

/** Where the adapter keeps how it answers each report's citizen (the store's ReplyBook). */
export interface ReplyRecorder {
  record(channel: Channel, reportId: string, to: Recipient): Promise<void>;
}

/** Where the adapter keeps who each reporter is, behind the reference the bus carries (the store's ReporterBook). */
export interface ReporterKeeper {
  refFor(channel: Channel, contact: ReporterContact): string;
  keep(channel: Channel, reportId: string, ref: string, contact: ReporterContact): Promise<void>;
}

/** The two books `ComplaintIntake` writes before it publishes a complaint. */
export interface IntakeBooks {
  replies: ReplyRecorder;
  reporters: ReporterKeeper;
}

/** What an adapter knows about one incoming complaint, before it has a report number. */
export interface ComplaintDraft {
  channel: Channel;
  /** The message's own id on its channel; the report id is derived from it. */
  sourceId: string;
  sourceUrl?: string;
  thread?: string;
  receivedAt?: Date;
  /** Personal data: sealed in the channel store, never published (ADR 0058). */
  reporter: ReporterContact;
  text: string;
  subject?: string;
  category?: string;
  location?: GeoPoint;
  attachments?: Attachment[];
  visibility?: 'public' | 'private';
  /** Shown on no public surface at all, not even by tracking code (LAPOR!'s rahasia). */
  confidential?: boolean;
}

export interface Receipt {
  reportId: string;
  trackingCode: string;
  trackingUrl: string;
}

export interface IntakeSettings {
  trackingSecret: string;
  /** With `{code}` where the tracking code goes. */
  trackingUrlTemplate: string;
  /** Complaints on their way to Kafka at once at most; more are refused (0: no limit). */
  maxInFlight?: number;
}

/**
 * Turns a draft into a numbered report on `aduan.complaint.received.v1`. `submit` resolves
 * only once Kafka has the event, so an adapter that answers the citizen after it never
 * promises a report number that could be lost. The event names the reporter by a reference
 * only; their contact and where they are answered are kept in the channel store first (ADR 0058).
 */
export class ComplaintIntake {
  private readonly inFlight: InFlightLimit;

  constructor(
    private readonly bus: EventBus,
    private readonly settings: IntakeSettings,
    private readonly books: IntakeBooks,
    private readonly metrics?: Metrics,
  ) {
    this.inFlight = new InFlightLimit(settings.maxInFlight ?? 0);
    metrics?.gauge('aduan_intake_in_flight', 'Complaints on their way to Kafka now', [], (g) =>
      g.set(this.inFlight.current),
    );
  }

  receiptFor(channel: Channel, sourceId: string): Receipt {
    const reportId = reportIdFor(channel, sourceId);
    const trackingCode = trackingCodeFor(reportId, this.settings.trackingSecret);
    return {
      reportId,
      trackingCode,
      trackingUrl: this.settings.trackingUrlTemplate.replace('{code}', trackingCode),
    };
  }

  /**
   * The event for a draft, with the reporter as the bus carries them: `ref` (from `ref`, which
   * `prepare` took from the reporter book), whether the adapter answers them, and the public
   * description derived here, where the names to mask are known. No contact.
   */
  toEvent(draft: ComplaintDraft, ref: string, now = new Date()): ComplaintReceived {
    const { reportId, trackingCode } = this.receiptFor(draft.channel, draft.sourceId);
    const receivedAt = (draft.receivedAt ?? now).toISOString();
    const visibility = draft.visibility ?? 'public';
    const event: ComplaintReceived = {
      reportId,
      trackingCode,
      channel: draft.channel,
      source: { id: draft.sourceId, receivedAt },
      reporter: {
        ref,
        anonymous: draft.reporter.anonymous,
        answers: replyAddressOf(draft.reporter) !== null,
      },
      text: draft.text,
      attachments: draft.attachments ?? [],
      visibility,
      receivedAt: now.toISOString(),
    };
    const publicText = visibility === 'public' ? publicDescription(draft.text, draft.reporter) : '';
    if (publicText) event.publicText = publicText;
    if (draft.sourceUrl) event.source.url = draft.sourceUrl;
    if (draft.thread) event.source.thread = draft.thread;
    if (draft.subject) event.subject = draft.subject;
    if (draft.category) event.category = draft.category;
    if (draft.location) event.location = draft.location;
    if (draft.confidential) event.confidential = true;
    return event;
  }

  /**
   * Keeps the reporter (the reporter book: their sealed contact under the reference; the reply
   * book: where they are answered) and answers the event to publish. Both are written before the
   * complaint is published, so no notification or reveal for it finds them missing (ADR 0055, 0058).
   */
  async prepare(draft: ComplaintDraft, now = new Date()): Promise<ComplaintReceived> {
    const ref = this.books.reporters.refFor(draft.channel, draft.reporter);
    const event = this.toEvent(draft, ref, now);
    // The contact never travels, but it is held to the bounds the contract sets for it: a
    // 400-character address is refused (and quarantined) here as it was on the bus.
    validateEvent('aduan.complaint.received.v1', {
      ...event,
      reporter: { ...draft.reporter, ...event.reporter },
    });
    const address = replyAddressOf(draft.reporter);
    // Side by side: each book coalesces concurrent complaints into its own statement (ADR 0077).
    await Promise.all([
      address
        ? this.books.replies.record(draft.channel, event.reportId, {
            address,
            ...(draft.thread ? { thread: draft.thread } : {}),
          })
        : undefined,
      this.books.reporters.keep(draft.channel, event.reportId, ref, draft.reporter),
    ]);
    return event;
  }

  /** One complaint turned away because intake was full, here or at the service's door. */
  countRefused(channel: string): void {
    this.metrics
      ?.counter('aduan_intake_saturated_total', 'Complaints refused while intake was full', ['channel'])
      .inc({ channel });
  }

  /**
   * Throws IntakeSaturated, before anything is written, while `maxInFlight` are in hand.
   * `alongside`: the adapter's own write that must be stored before the event is published (a
   * conversation to push to); it runs beside the books' writes rather than after them.
   */
  async submit(draft: ComplaintDraft, alongside?: () => Promise<void>): Promise<Receipt> {
    const { reportId } = this.receiptFor(draft.channel, draft.sourceId);
    try {
      // The root of the report's trace when nothing upstream started one (a polled source).
      await inSpan(
        this.bus.serviceName,
        `intake ${draft.channel}`,
        { attributes: { 'aduan.report_id': reportId, 'aduan.channel': draft.channel } },
        () =>
          this.inFlight.run(async () => {
            const [event] = await Promise.all([this.prepare(draft), alongside?.()]);
            await this.bus.publish('aduan.complaint.received.v1', event);
          }),
      );
    } catch (err) {
      if (err instanceof IntakeSaturated) this.countRefused(draft.channel);
      throw err;
    }
    this.metrics
      ?.counter('aduan_complaints_received_total', 'Complaints accepted, by channel', ['channel'])
      .inc({ channel: draft.channel });
    return this.receiptFor(draft.channel, draft.sourceId);
  }
}
