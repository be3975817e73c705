import type { EventBus } from '@aduan/bus';
import type { Attachment, Channel, ComplaintReceived, GeoPoint, Reporter } from '@aduan/contracts';
import type { Metrics } from '@aduan/platform';
import type { Recipient } from './outbound/outbox';
import { reportIdFor, trackingCodeFor } from './report-identity';
import { replyAddressOf } from './store/reply-book';

/** Where the adapter keeps how it answers each report's citizen (the store's ReplyBook). */
export interface ReplyRecorder {
  record(channel: Channel, reportId: string, to: Recipient): Promise<void>;
}

/** What an adapter knows about one incoming complaint, before it has a report number. */
export interface ComplaintDraft {
  channel: Channel;
  /** The message's own id on its channel; the report id is derived from it. */
  sourceId: string;
  sourceUrl?: string;
  thread?: string;
  receivedAt?: Date;
  reporter: Reporter;
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
}

/**
 * Turns a draft into a numbered report on `aduan.complaint.received.v1`. `submit` resolves
 * only once Kafka has the event, so an adapter that answers the citizen after it never
 * promises a report number that could be lost.
 */
export class ComplaintIntake {
  constructor(
    private readonly bus: EventBus,
    private readonly settings: IntakeSettings,
    private readonly metrics?: Metrics,
    private readonly replies?: ReplyRecorder,
  ) {}

  receiptFor(channel: Channel, sourceId: string): Receipt {
    const reportId = reportIdFor(channel, sourceId);
    const trackingCode = trackingCodeFor(reportId, this.settings.trackingSecret);
    return {
      reportId,
      trackingCode,
      trackingUrl: this.settings.trackingUrlTemplate.replace('{code}', trackingCode),
    };
  }

  toEvent(draft: ComplaintDraft, now = new Date()): ComplaintReceived {
    const { reportId, trackingCode } = this.receiptFor(draft.channel, draft.sourceId);
    const receivedAt = (draft.receivedAt ?? now).toISOString();
    const event: ComplaintReceived = {
      reportId,
      trackingCode,
      channel: draft.channel,
      source: { id: draft.sourceId, receivedAt },
      reporter: draft.reporter,
      text: draft.text,
      attachments: draft.attachments ?? [],
      visibility: draft.visibility ?? 'public',
      receivedAt: now.toISOString(),
    };
    if (draft.sourceUrl) event.source.url = draft.sourceUrl;
    if (draft.thread) event.source.thread = draft.thread;
    if (draft.subject) event.subject = draft.subject;
    if (draft.category) event.category = draft.category;
    if (draft.location) event.location = draft.location;
    if (draft.confidential) event.confidential = true;
    return event;
  }

  async submit(draft: ComplaintDraft): Promise<Receipt> {
    const event = this.toEvent(draft);
    // Kept before the complaint is published, so that no notification for it finds the book
    // empty; notifications name only the report (ADR 0055).
    const address = replyAddressOf(draft.reporter);
    if (this.replies && address)
      await this.replies.record(draft.channel, event.reportId, {
        address,
        ...(draft.thread ? { thread: draft.thread } : {}),
      });
    await this.bus.publish('aduan.complaint.received.v1', event);
    this.metrics
      ?.counter('aduan_complaints_received_total', 'Complaints accepted, by channel', ['channel'])
      .inc({ channel: draft.channel });
    return this.receiptFor(draft.channel, draft.sourceId);
  }
}
