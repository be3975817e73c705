import type { Channel, LifecycleState, Notification } from '@aduan/contracts';
import type { EntityManager } from 'typeorm';
import { enqueue } from '../outbox/enqueue';
import type { ReportRow, TransitionInput } from '../reports/report-store';
import { issueReviewSecret, reviewLink } from '../citizen/review-secret';
import { uuidFrom } from '../uuid-from';
import { ErasedReporter, isAnswered, type IdentityVault, type SealedIdentity } from '../vault/identity-vault';
import { renderBilingual } from './templates';

interface Follower {
  report_id: string;
  tracking_code: string;
  channel: Channel;
  sealed: string;
  wrapped: string | null;
}

/**
 * On each public transition (a change of state after intake, or an officer handing the report
 * to another unit), one message for every follower
 * of the report: its own reporter and the reporters of reports merged into it. The vault is
 * opened here and in the officer contact endpoint only.
 */
export class CitizenNotifier {
  /**
   * @param trackingUrl the tracking page with {code}: the completion message links to it with the
   * reporter's review key (ADR 0048); without it the message only asks for a reply.
   */
  constructor(
    private readonly vault: IdentityVault,
    private readonly trackingUrl?: string,
  ) {}

  /** Null for a reporter who was erased: nobody is left to tell. */
  private openFollower(f: Follower): SealedIdentity | null {
    try {
      return this.vault.open(f.report_id, f.sealed, f.wrapped);
    } catch (err) {
      if (err instanceof ErasedReporter) return null;
      throw err;
    }
  }

  async onTransition(
    tx: EntityManager,
    report: ReportRow,
    t: TransitionInput,
    transitionId: string,
  ): Promise<void> {
    // Intake is acknowledged by the channel adapter itself, unless the routing was recorded
    // first (the two come on different topics): nobody was known to tell then, so its news goes
    // out now that the reporter is.
    if (t.from === null) {
      const routing = await this.routingRecordedBefore(tx, report);
      if (!routing) return;
      ({ t, transitionId } = routing);
    }
    // Escalation notes are for officers. An officer handing a report on within the same state
    // (coordination onwards) is news.
    if (t.from === t.to && t.actor.kind !== 'officer') return;
    const followers = (await tx.query(
      `SELECT r.id AS report_id, r.tracking_code, rr.channel, rr.sealed, k.wrapped
         FROM report r JOIN report_reporter rr ON rr.report_id = r.id
         LEFT JOIN reporter_key k ON k.report_id = r.id
        WHERE r.id = $1 OR r.merged_into = $1
        ORDER BY r.id`,
      [report.id],
    )) as Follower[];
    for (const f of followers) {
      const identity = this.openFollower(f);
      // Whether the adapter answers this citizen at all; the address itself never leaves the
      // vault: the notification names the report, and the adapter finds the recipient in its own
      // store (ADR 0055), so neither the outbox nor the topic holds it.
      if (!identity || !isAnswered(identity)) continue;
      // Only the reporter of the completed report itself reviews it, on their own channel.
      const reviewer = t.to === 'COMPLETED' && t.from !== t.to && f.report_id === report.id;
      const reviewUrl =
        reviewer && this.trackingUrl
          ? reviewLink(
              this.trackingUrl,
              f.tracking_code,
              await issueReviewSecret(tx, f.report_id, new Date(t.at)),
            )
          : undefined;
      const notification: Notification = {
        notificationId: uuidFrom(`notification:${transitionId}:${f.report_id}`),
        reportId: f.report_id,
        trackingCode: f.tracking_code,
        channel: f.channel,
        locale: 'id',
        state: t.to,
        message: renderBilingual({
          trackingCode: f.tracking_code,
          ...(f.report_id !== report.id ? { mergedFollower: true } : {}),
          state: t.to,
          ...(report.unit ? { unitName: report.unit.name } : {}),
          ...(t.publicNote ? { publicNote: t.publicNote } : {}),
          ...(reviewer ? { askReview: true } : {}),
          ...(reviewUrl ? { reviewUrl } : {}),
        }),
      };
      await enqueue(tx, 'aduan.notification.v1', notification);
    }
  }

  /** The routing transition of a report whose intake is being recorded after it, if any. */
  private async routingRecordedBefore(
    tx: EntityManager,
    report: ReportRow,
  ): Promise<{ t: TransitionInput; transitionId: string } | null> {
    const [routing] = (await tx.query(
      `SELECT id, from_state, to_state, at, actor, public_note FROM report_transition
        WHERE report_id = $1 AND cause = 'routed'`,
      [report.id],
    )) as Array<{
      id: string;
      from_state: LifecycleState;
      to_state: LifecycleState;
      at: Date;
      actor: TransitionInput['actor'];
      public_note: string | null;
    }>;
    // Only while the routing is still the news: a later transition told the reporter already.
    if (!routing || routing.to_state !== report.state) return null;
    return {
      transitionId: routing.id,
      t: {
        reportId: report.id,
        cause: 'routed',
        ordinal: 0,
        from: routing.from_state,
        to: routing.to_state,
        at: new Date(routing.at).toISOString(),
        actor: routing.actor,
        ...(routing.public_note ? { publicNote: routing.public_note } : {}),
      },
    };
  }
}
