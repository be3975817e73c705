import { inDeliveryTrace, type Delivery, type EventBus } from '@aduan/bus';
import type { ComplaintRouted, TopicName } from '@aduan/contracts';
import {
  analyseRouting,
  decideAnalysed,
  type RoutingAnalysis,
  type RoutingContext,
  type RoutingDecision,
  type RoutingInput,
  type RoutingRules,
} from '@aduan/routing';
import type { Metrics } from '@aduan/platform';
import type { RecentInputs } from '../rules/recent-inputs';
import { duplicateLookup, incidentLocks, type PgIncidentIndex } from './pg-incident-index';
import { toRoutedEvent, toRoutingInput } from './to-routed-event';

/** States after which a report no longer collects duplicates. */
const CLOSED = new Set(['COMPLETED', 'REJECTED', 'MERGED']);

export interface RouterDeps {
  bus: EventBus;
  context: Omit<RoutingContext, 'rules'>;
  rules: () => Promise<RoutingRules>;
  incidents: PgIncidentIndex;
  /** Keeps each batch's decisions for the rules editor's preview (ADR 0075). */
  recent?: RecentInputs;
  metrics: Metrics;
  now?: () => Date;
}

/** Advisory locks one transaction takes at most: they share PostgreSQL's lock table. */
const MAX_LOCKS_PER_TRANSACTION = 256;

/**
 * One complaint's decision. Its duplicate lookup and the incident it opens are committed
 * together, under a lock on the place, before this returns: a decision another instance takes
 * next sees this one's incident, and the event published afterwards never names an incident
 * that is not stored (ADR 0063).
 */
export async function decideComplaint(
  input: RoutingInput,
  context: RoutingContext,
  incidents: PgIncidentIndex,
): Promise<RoutingDecision> {
  const [decision] = await decideComplaints([input], context, incidents);
  return decision!;
}

/**
 * A batch's decisions, in the batch's order, each seeing the incidents the ones before it
 * opened (ADR 0071). Consecutive complaints share a transaction that takes every lock they need
 * at once, sorted; each transaction is committed before its decisions are handed to `after`,
 * so a published decision never names an incident that is not stored. `each` runs a
 * complaint's whole part (its decision and `after`) in that complaint's trace; the parts run
 * side by side, only their decisions take turns. Rejects when any part fails.
 */
export async function decideComplaints(
  inputs: readonly RoutingInput[],
  context: RoutingContext,
  incidents: PgIncidentIndex,
  each: (index: number, work: () => Promise<void>) => Promise<void> = (_, work) => work(),
  /** Gets the decision and the time `decide` took, once the decision is committed. */
  after: (index: number, decision: RoutingDecision, seconds: number) => Promise<void> = async () => undefined,
): Promise<RoutingDecision[]> {
  const decisions: RoutingDecision[] = [];
  const parts: Array<Promise<void>> = [];
  try {
    for (const chunk of transactions(inputs, context)) {
      const committed = deferred();
      await incidents
        .atomically(async (scope) => {
          let turn: Promise<unknown> = Promise.resolve();
          const decided = chunk.indices.map((i, n) => {
            // Turns are taken here, in the batch's order, whenever `each` starts the part.
            const previous = turn;
            const decision = deferred<RoutingDecision>();
            turn = decision.promise.catch(() => undefined);
            const part = each(i, async () => {
              await previous;
              const started = process.hrtime.bigint();
              const d = await decideAnalysed(chunk.analyses[n]!, { ...context, incidents: scope });
              const seconds = chunk.analysisSeconds[n]! + Number(process.hrtime.bigint() - started) / 1e9;
              decision.resolve(d);
              await committed.promise;
              await after(i, d, seconds);
            });
            parts.push(
              part.catch((err: unknown) => {
                decision.reject(err);
                throw err;
              }),
            );
            return decision.promise;
          });
          for (const [n, d] of (await Promise.all(decided)).entries()) decisions[chunk.indices[n]!] = d;
        }, chunk.locks)
        .then(committed.resolve, (err: unknown) => {
          committed.reject(err);
          throw err;
        });
    }
  } finally {
    // Also after a failed transaction: its parts end (rejected) before the batch is retried.
    const failed = (await Promise.allSettled(parts)).find((p) => p.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason; // eslint-disable-line no-unsafe-finally
  }
  return decisions;
}

/**
 * Reads every complaint once and splits the batch into runs of consecutive complaints whose
 * locks stay within the budget. The locks come from each complaint's duplicate probe, which the
 * analysis builds from the complaint alone, before any statement.
 */
function transactions(
  inputs: readonly RoutingInput[],
  context: RoutingContext,
): Array<{ indices: number[]; locks: number[]; analyses: RoutingAnalysis[]; analysisSeconds: number[] }> {
  type Chunk = {
    indices: number[];
    locks: Set<number>;
    analyses: RoutingAnalysis[];
    analysisSeconds: number[];
  };
  const empty = (): Chunk => ({ indices: [], locks: new Set(), analyses: [], analysisSeconds: [] });
  const chunks: Chunk[] = [];
  let current = empty();
  inputs.forEach((input, i) => {
    const started = process.hrtime.bigint();
    const analysis = analyseRouting(input, context);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const probe = analysis.probe;
    const locks =
      probe && duplicateLookup(probe, context.duplicatePolicy)
        ? incidentLocks(probe, context.duplicatePolicy)
        : [];
    const added = locks.filter((k) => !current.locks.has(k)).length;
    if (current.indices.length && current.locks.size + added > MAX_LOCKS_PER_TRANSACTION) {
      chunks.push(current);
      current = empty();
    }
    current.indices.push(i);
    current.analyses.push(analysis);
    current.analysisSeconds.push(seconds);
    for (const k of locks) current.locks.add(k);
  });
  if (current.indices.length) chunks.push(current);
  return chunks.map((c) => ({ ...c, locks: [...c.locks].sort((a, b) => a - b) }));
}

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined); // awaited by the parts; a rejection nobody waits for is expected
  return { promise, resolve, reject };
}

/**
 * Every received complaint gets exactly one decision event. `decide` never throws: a
 * complaint it cannot understand becomes TRIAGE with its reasons, so no message can stall
 * a partition. Lifecycle events close incidents, so later reports start a new one.
 *
 * Received complaints come a partition's batch at a time (ADR 0071): decided in one go, their
 * routed events published side by side (one report's in order) and the batch's position
 * committed only once Kafka acknowledged every one.
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
  const { bus } = deps;
  return bus.subscribeBatches({
    groupId: 'aduan.router',
    // A decision waits on PostgreSQL (its duplicate lookup and its incident), not the CPU: while
    // one partition's transaction waits, others decide. They are as safe side by side as two
    // router instances are, under the same place locks (ADR 0063).
    partitionsConcurrently: 4,
    batchHandlers: {
      'aduan.complaint.received.v1': async ({ deliveries }) => {
        const rules = await deps.rules();
        const published = new Map<string, Promise<unknown>>();
        const decided: Array<{ input: (typeof deliveries)[number]['payload']; event: ComplaintRouted }> = [];
        await decideComplaints(
          deliveries.map((d) => toRoutingInput(d.payload)),
          { ...deps.context, rules },
          deps.incidents,
          (i, work) => inDeliveryTrace(bus.serviceName, deliveries[i] as Delivery<TopicName>, work),
          async (i, decision, decideSeconds) => {
            seconds.observe(decideSeconds);
            const { payload, log } = deliveries[i]!;
            const event = toRoutedEvent(payload, decision, deps.now?.() ?? new Date());
            decided.push({ input: payload, event });
            // One report's events leave in the batch's order; different reports side by side.
            const before = published.get(payload.reportId) ?? Promise.resolve();
            const mine = before
              .catch(() => undefined)
              .then(() => bus.publish('aduan.complaint.routed.v1', event));
            published.set(payload.reportId, mine);
            await mine;
            decisions.inc({ outcome: event.outcome });
            // Per complaint, so at debug: aduan_routing_decisions_total counts the outcomes.
            log.debug('routed', {
              outcome: event.outcome,
              category: event.category,
              unit: event.unit?.code,
              rule: event.rule,
            });
          },
        );
        await deps.recent?.record(decided);
      },
      'aduan.report.lifecycle.v1': async ({ deliveries }) => {
        for (const delivery of deliveries)
          await inDeliveryTrace(bus.serviceName, delivery as Delivery<TopicName>, async () => {
            if (CLOSED.has(delivery.payload.to)) await deps.incidents.close(delivery.payload.reportId);
          });
      },
    },
  });
}
