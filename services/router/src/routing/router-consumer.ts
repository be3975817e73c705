import type { EventBus } from '@aduan/bus';
import {
  decide,
  type RoutingContext,
  type RoutingDecision,
  type RoutingInput,
  type RoutingRules,
} from '@aduan/routing';
import type { Metrics } from '@aduan/platform';
import type { PgIncidentIndex } from './pg-incident-index';
import { toRoutedEvent, toRoutingInput } from './to-routed-event';

/** States after which a report no longer collects duplicates. */
const CLOSED = new Set(['COMPLETED', 'REJECTED', 'MERGED']);

export interface RouterDeps {
  bus: EventBus;
  context: Omit<RoutingContext, 'rules'>;
  rules: () => Promise<RoutingRules>;
  incidents: PgIncidentIndex;
  metrics: Metrics;
  now?: () => Date;
}

/**
 * One complaint's decision. Its duplicate lookup and the incident it opens are committed
 * together, under a lock on the place, before this returns: a decision another instance takes
 * next sees this one's incident, and the event published afterwards never names an incident
 * that is not stored (ADR 0063).
 */
export function decideComplaint(
  input: RoutingInput,
  context: RoutingContext,
  incidents: PgIncidentIndex,
): Promise<RoutingDecision> {
  return incidents.atomically((scope) => decide(input, { ...context, incidents: scope }));
}

/**
 * Every received complaint gets exactly one decision event. `decide` never throws: a
 * complaint it cannot understand becomes TRIAGE with its reasons, so no message can stall
 * a partition. Lifecycle events close incidents, so later reports start a new one.
 */
export function subscribeRouter(deps: RouterDeps) {
  const decisions = deps.metrics.counter('aduan_routing_decisions_total', 'Routing decisions, by outcome', [
    'outcome',
  ]);
  const seconds = deps.metrics.histogram(
    'aduan_routing_decision_seconds',
    'Time to decide one complaint',
    [],
    [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1],
  );
  return deps.bus.subscribe({
    groupId: 'aduan.router',
    handlers: {
      'aduan.complaint.received.v1': async ({ payload, log }) => {
        const started = process.hrtime.bigint();
        const rules = await deps.rules();
        const decision = await decideComplaint(
          toRoutingInput(payload),
          { ...deps.context, rules },
          deps.incidents,
        );
        seconds.observe(Number(process.hrtime.bigint() - started) / 1e9);
        const event = toRoutedEvent(payload, decision, deps.now?.() ?? new Date());
        await deps.bus.publish('aduan.complaint.routed.v1', event);
        decisions.inc({ outcome: event.outcome });
        log.info('routed', {
          outcome: event.outcome,
          category: event.category,
          unit: event.unit?.code,
          rule: event.rule,
        });
      },
      'aduan.report.lifecycle.v1': async ({ payload }) => {
        if (CLOSED.has(payload.to)) await deps.incidents.close(payload.reportId);
      },
    },
  });
}
