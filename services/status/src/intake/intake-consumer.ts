import type { EventBus } from '@aduan/bus';
import type { Logger } from '@aduan/platform';
import type { ComplaintFollowUp } from '@aduan/contracts';
import type { DataSource } from 'typeorm';
import { recordFollowUp } from '../reports/citizen-follow-ups';
import { recordDelivery } from '../reports/deliveries';
import type { ReportStore } from '../reports/report-store';

/**
 * Received and routed events may arrive in either order and more than once; the store copes.
 * Follow-ups share the group: they are keyed by report id like the others, and one that
 * overtakes its report is kept until the report arrives.
 */
export function subscribeIntake(
  bus: EventBus,
  store: ReportStore,
  db: DataSource,
  log: Logger,
  afterCommit: () => void,
  /** A reply to a completed report may be the reporter's review (ADR 0048). */
  onFollowUp: (e: ComplaintFollowUp) => Promise<unknown> = async () => undefined,
) {
  return bus.subscribe({
    groupId: 'aduan.status.intake',
    handlers: {
      'aduan.complaint.received.v1': async ({ payload }) => {
        await store.applyReceived(payload);
        afterCommit();
      },
      'aduan.complaint.routed.v1': async ({ payload }) => {
        await store.applyRouted(payload);
        afterCommit();
      },
      // A follow-up changes no state, unless it is the reporter's answer to a completed report.
      'aduan.complaint.followup.v1': async ({ payload }) => {
        const fresh = await recordFollowUp(db, payload);
        // Also for a redelivery: the review is idempotent, and the first try may have failed.
        await onFollowUp(payload);
        log.info(fresh ? 'citizen follow-up recorded' : 'citizen follow-up was already recorded', {
          reportId: payload.reportId,
          followUpId: payload.followUpId,
          channel: payload.channel,
        });
      },
      // Shown to officers on the report: a citizen who never got their code needs a call.
      'aduan.delivery.outcome.v1': async ({ payload }) => {
        await recordDelivery(db, payload);
      },
    },
  });
}
