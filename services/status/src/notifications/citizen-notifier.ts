import type { Channel, LifecycleState, Notification } from '@aduan/contracts';
import type { EntityManager } from 'typeorm';
import { enqueueAll, type OutboxEvent, type TraceHeaders } from '../outbox/enqueue';
import type { ReportRow, TransitionInput } from '../reports/report-store';

/** A transition just recorded, with the trace its messages are relayed under. */
export interface Change {
  report: ReportRow;
  t: TransitionInput;
  transitionId: string;
  trace?: TraceHeaders;
}
import { issueReviewSecret, reviewLink } from '../citizen/review-secret';
import { uuidFrom } from '../uuid-from';
import { ErasedReporter, isAnswered, type IdentityVault, type SealedIdentity } from '../vault/identity-vault';
import { renderBilingual } from './templates';

interface Follower {
  report_id: string;
  merged_into: string | null;
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

  /**
   * The messages of the transitions just recorded, one per report, with one query for their
   * followers and one statement for the outbox whatever their number.
   */
  async onTransitions(tx: EntityManager, changes: readonly Change[]): Promise<void> {
    const news = (await this.withRoutingNews(tx, changes)).filter(
      // Escalation notes are for officers. An officer handing a report on within the same
      // state (coordination onwards) is news.
      ({ t }) => t.from !== t.to || t.actor.kind === 'officer',
    );
    if (!news.length) return;
    const ids = news.map((c) => c.report.id);
    const followers = await followersOf(tx, ids);
    const notifications: OutboxEvent[] = [];
    const traces: Array<TraceHeaders | undefined> = [];
    // A report merged in this same batch is told of its own merge, not also of its master's news.
    const changed = new Set(ids);
    for (const change of news) {
      for (const f of followers) {
        const own = f.report_id === change.report.id;
        if (!own && (f.merged_into !== change.report.id || changed.has(f.report_id))) continue;
        const notification = await this.notificationFor(tx, change, f);
        if (!notification) continue;
        notifications.push({ topic: 'aduan.notification.v1', payload: notification });
        traces.push(change.trace);
      }
    }
    await enqueueAll(tx, notifications, traces);
  }

  /**
   * Intake is acknowledged by the channel adapter itself, unless the routing was recorded first
   * (the two come on different topics): nobody was known to tell then, so its news goes out now
   * that the reporter is.
   */
  private async withRoutingNews(tx: EntityManager, changes: readonly Change[]): Promise<Change[]> {
    const intakes = changes.filter((c) => c.t.from === null);
    if (!intakes.length) return [...changes];
    const routings = await this.routingsRecordedBefore(
      tx,
      intakes.map((c) => c.report),
    );
    return changes.flatMap((c) => {
      if (c.t.from !== null) return [c];
      const routing = routings.get(c.report.id);
      return routing ? [{ ...c, ...routing }] : [];
    });
  }

  /** The message to one follower of a change; null for a reporter who is erased or not answered. */
  private async notificationFor(
    tx: EntityManager,
    change: Change,
    f: Follower,
  ): Promise<Notification | null> {
    const { report, t, transitionId } = change;
    const identity = this.openFollower(f);
    // Whether the adapter answers this citizen at all; the address itself never leaves the
    // vault: the notification names the report, and the adapter finds the recipient in its own
    // store (ADR 0055), so neither the outbox nor the topic holds it.
    if (!identity || !isAnswered(identity)) return null;
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
    return {
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
  }

  /** The routing transitions of reports whose intake is being recorded after them, by report. */
  private async routingsRecordedBefore(
    tx: EntityManager,
    reports: readonly ReportRow[],
  ): Promise<Map<string, { t: TransitionInput; transitionId: string }>> {
    const rows = (await tx.query(
      `SELECT id, report_id, from_state, to_state, at, actor, public_note FROM report_transition
        WHERE report_id = ANY($1::uuid[]) AND cause = 'routed'`,
      [reports.map((r) => r.id)],
    )) as Array<{
      id: string;
      report_id: string;
      from_state: LifecycleState;
      to_state: LifecycleState;
      at: Date;
      actor: TransitionInput['actor'];
      public_note: string | null;
    }>;
    const stateOf = new Map(reports.map((r) => [r.id, r.state]));
    const news = new Map<string, { t: TransitionInput; transitionId: string }>();
    for (const routing of rows) {
      // Only while the routing is still the news: a later transition told the reporter already.
      if (routing.to_state !== stateOf.get(routing.report_id)) continue;
      news.set(routing.report_id, {
        transitionId: routing.id,
        t: {
          reportId: routing.report_id,
          cause: 'routed',
          ordinal: 0,
          from: routing.from_state,
          to: routing.to_state,
          at: new Date(routing.at).toISOString(),
          actor: routing.actor,
          ...(routing.public_note ? { publicNote: routing.public_note } : {}),
        },
      });
    }
    return news;
  }
}

/**
 * The reports that follow these (themselves, and the reports merged into them) with their
 * sealed reporters. Two statements: joined in one, the planner cannot tell how few reports an
 * id list names and reads every reporter row to hash them (ADR 0067).
 */
async function followersOf(tx: EntityManager, ids: readonly string[]): Promise<Follower[]> {
  const reports = (await tx.query(
    `SELECT id, merged_into, tracking_code FROM report
      WHERE id = ANY($1::uuid[]) OR merged_into = ANY($1::uuid[])`,
    [ids],
  )) as Array<{ id: string; merged_into: string | null; tracking_code: string }>;
  if (!reports.length) return [];
  const sealed = (await tx.query(
    `SELECT rr.report_id, rr.channel, rr.sealed, k.wrapped
       FROM report_reporter rr LEFT JOIN reporter_key k ON k.report_id = rr.report_id
      WHERE rr.report_id = ANY($1::uuid[])`,
    [reports.map((r) => r.id)],
  )) as Array<{ report_id: string; channel: Channel; sealed: string; wrapped: string | null }>;
  const reportOf = new Map(reports.map((r) => [r.id, r]));
  return sealed
    .map((s) => {
      const r = reportOf.get(s.report_id)!;
      return { ...s, merged_into: r.merged_into, tracking_code: r.tracking_code };
    })
    .sort((a, b) => (a.report_id < b.report_id ? -1 : a.report_id > b.report_id ? 1 : 0));
}
