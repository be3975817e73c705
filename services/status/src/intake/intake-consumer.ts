import { inDeliveryTrace, type Delivery, type EventBus } from '@aduan/bus';
import type { Logger } from '@aduan/platform';
import type { ComplaintFollowUp, TopicName } from '@aduan/contracts';
import type { DataSource } from 'typeorm';
import { answerOpenQuestions } from '../conversation/officer-messages';
import { recordFollowUp } from '../reports/citizen-follow-ups';
import { recordDeliveries } from '../reports/deliveries';
import type { EachEvent, ReportStore } from '../reports/report-store';

/**
 * Received and routed events may arrive in either order and more than once, and batches of
 * different partitions are stored side by side; the store copes.
 * Follow-ups share the group: they are keyed by report id like the others, and one that
 * overtakes its report is kept until the report arrives.
 *
 * Events come in batches of one partition (ADR 0067): a batch of intake or routing events is
 * stored in one transaction and its position committed after that. An event that can never be
 * stored fails its batch's transaction; the runner then hands the batch's events over one at a
 * time, so that event alone is dead-lettered and the rest are stored.
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
  return bus.subscribeBatches({
    groupId: 'aduan.status.intake',
    // The store is written by the statements' round trips, not the CPU: while one partition's
    // transaction waits on PostgreSQL, others go on (batches lock their reports in id order, so
    // a received and a routed batch at once never deadlock).
    partitionsConcurrently: 4,
    batchHandlers: {
      'aduan.complaint.received.v1': async ({ deliveries }) => {
        await store.applyReceivedBatch(
          deliveries.map((d) => d.payload),
          inTraceOf(bus, deliveries),
        );
        afterCommit();
      },
      'aduan.complaint.routed.v1': async ({ deliveries }) => {
        await store.applyRoutedBatch(
          deliveries.map((d) => d.payload),
          inTraceOf(bus, deliveries),
        );
        afterCommit();
      },
      // Rare, and each may start the reporter's review: one at a time. A batch handed over
      // again after a failure repeats the ones before it, which both steps absorb.
      'aduan.complaint.followup.v1': async ({ deliveries }) => {
        for (const { payload } of deliveries) {
          // A follow-up changes no state, unless it is the reporter's answer to a completed report.
          // Recorded with the answer it gives to officers' open questions (ADR 0074), so a
          // redelivery finds both done or neither, and an old message never answers a new question.
          const fresh = await db.transaction(async (tx) => {
            const isNew = await recordFollowUp(tx, payload);
            if (isNew) await answerOpenQuestions(tx, payload);
            return isNew;
          });
          // Also for a redelivery: the review is idempotent, and the first try may have failed.
          await onFollowUp(payload);
          log.info(fresh ? 'citizen follow-up recorded' : 'citizen follow-up was already recorded', {
            reportId: payload.reportId,
            followUpId: payload.followUpId,
            channel: payload.channel,
          });
        }
      },
      // Shown to officers on the report: a citizen who never got their code needs a call.
      // One idempotent upsert for the batch that keeps each message's furthest status.
      'aduan.delivery.outcome.v1': async ({ deliveries }) => {
        await recordDeliveries(
          db,
          deliveries.map((d) => d.payload),
        );
      },
    },
  });
}

/** Each event's part of a batch, in the trace its record carried (ADR 0070). */
function inTraceOf<T extends 'aduan.complaint.received.v1' | 'aduan.complaint.routed.v1'>(
  bus: EventBus,
  deliveries: ReadonlyArray<Delivery<T>>,
): EachEvent<Delivery<T>['payload']> {
  const byEvent = new Map(deliveries.map((d) => [d.payload, d]));
  return (event, work) => {
    const delivery = byEvent.get(event);
    return delivery ? inDeliveryTrace(bus.serviceName, delivery as Delivery<TopicName>, work) : work();
  };
}
