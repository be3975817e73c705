import type { EventBus } from '@aduan/bus';
import type { ReportStore } from '../reports/report-store';

/**
 * Received and routed events may arrive in either order and more than once; the store copes.
 * The group id carries the topic prefix: stacks that share a broker under different prefixes
 * must not share a consumer group, or one stack's members are handed the other's partitions.
 */
export function subscribeIntake(bus: EventBus, store: ReportStore, afterCommit: () => void, topicPrefix = '') {
  return bus.subscribe({
    groupId: `${topicPrefix}aduan.status.intake`,
    handlers: {
      'aduan.complaint.received.v1': async ({ payload }) => {
        await store.applyReceived(payload);
        afterCommit();
      },
      'aduan.complaint.routed.v1': async ({ payload }) => {
        await store.applyRouted(payload);
        afterCommit();
      },
    },
  });
}
