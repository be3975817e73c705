import type { EventBus } from '@aduan/bus';
import type { ReportStore } from '../reports/report-store';

/** Received and routed events may arrive in either order and more than once; the store copes. */
export function subscribeIntake(bus: EventBus, store: ReportStore, afterCommit: () => void) {
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
    },
  });
}
