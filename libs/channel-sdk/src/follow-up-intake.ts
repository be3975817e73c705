import type { EventBus } from '@aduan/bus';
import type { Attachment, Channel, ComplaintFollowUp, GeoPoint } from '@aduan/contracts';
import type { Metrics } from '@aduan/platform';
import { trackingCodeFor, uuidV5 } from './report-identity';
import type { Conversations, KeptFollowUp } from './store/conversations';

/** What an adapter knows about a message that adds to a report that already exists. */
export interface FollowUpDraft {
  channel: Channel;
  /** The message's own id on its channel; the follow-up id is derived from it. */
  sourceId: string;
  /** The report it adds to (found by thread, tracking code or conversation window). */
  reportId: string;
  text: string;
  attachments?: Attachment[];
  location?: GeoPoint;
  thread?: string;
  /** The message's own time. */
  receivedAt?: Date;
}

export interface FollowUpReceipt {
  followUpId: string;
  reportId: string;
  trackingCode: string;
  /** False when this source message had been recorded before (a re-read, a redelivery). */
  fresh: boolean;
}

const MAX_TEXT = 100_000;

/** The same message on the same channel is always the same follow-up, however often it is read. */
export function followUpIdFor(channel: Channel, sourceId: string): string {
  return uuidV5(`follow-up:${channel}:${sourceId}`);
}

/**
 * Records a follow-up in the channel store and publishes it on `aduan.complaint.followup.v1`.
 * `submit` resolves only once Kafka has the event, so an adapter that tells the citizen "added
 * to your report" after it never promises what officers will not see.
 *
 * The event is built from the stored row, not from the draft: a message read again (or a
 * webhook redelivered after the window moved) republishes the first recording, with the same
 * report, text and times, and the consumer's `followUpId` makes that a no-op.
 */
export class FollowUpIntake {
  constructor(
    private readonly bus: EventBus,
    private readonly conversations: Conversations,
    private readonly trackingSecret: string,
    private readonly metrics?: Metrics,
  ) {}

  toEvent(kept: KeptFollowUp): ComplaintFollowUp {
    const event: ComplaintFollowUp = {
      followUpId: followUpIdFor(kept.channel, kept.sourceId),
      reportId: kept.reportId,
      trackingCode: trackingCodeFor(kept.reportId, this.trackingSecret),
      channel: kept.channel,
      source: { id: kept.sourceId, receivedAt: kept.receivedAt.toISOString() },
      text: kept.text,
      attachments: kept.attachments,
      receivedAt: kept.recordedAt.toISOString(),
    };
    if (kept.thread) event.source.thread = kept.thread;
    if (kept.location) event.location = kept.location;
    return event;
  }

  async submit(draft: FollowUpDraft): Promise<FollowUpReceipt> {
    const { followUp, fresh } = await this.conversations.keepFollowUp({
      channel: draft.channel,
      sourceId: draft.sourceId,
      reportId: draft.reportId,
      text: draft.text.trim().slice(0, MAX_TEXT) || '(lampiran / attachments)',
      attachments: draft.attachments ?? [],
      ...(draft.receivedAt && !Number.isNaN(draft.receivedAt.getTime())
        ? { receivedAt: draft.receivedAt }
        : {}),
      ...(draft.thread ? { thread: draft.thread } : {}),
      ...(draft.location ? { location: draft.location } : {}),
    });
    const event = this.toEvent(followUp);
    await this.bus.publish('aduan.complaint.followup.v1', event);
    if (fresh) {
      this.metrics
        ?.counter('aduan_follow_ups_received_total', 'Follow-ups added to existing reports, by channel', [
          'channel',
        ])
        .inc({ channel: draft.channel });
    }
    return {
      followUpId: event.followUpId,
      reportId: event.reportId,
      trackingCode: event.trackingCode,
      fresh,
    };
  }
}
