import type { TopicMap, TopicName } from '@aduan/contracts';
import { traceHeaders } from '@aduan/platform';
import type { EntityManager } from 'typeorm';

/** An event for the outbox: its topic and a payload of that topic. */
export type OutboxEvent = { [T in TopicName]: { topic: T; payload: TopicMap[T] } }[TopicName];

/** Trace headers (ADR 0070) an event is relayed under; by default the trace it is written in. */
export type TraceHeaders = Record<string, string>;

/** Writes an event into the outbox inside the caller's transaction; the relay publishes it. */
export async function enqueue<T extends TopicName>(
  tx: EntityManager,
  topic: T,
  payload: TopicMap[T],
): Promise<void> {
  await enqueueAll(tx, [{ topic, payload } as OutboxEvent]);
}

/**
 * Writes several events in one statement. They are numbered in the order given, so one report's
 * events are relayed in that order. Each keeps the trace it was written in (ADR 0070), which the
 * relay publishes it under.
 */
export async function enqueueAll(
  tx: EntityManager,
  events: readonly OutboxEvent[],
  /** Each event's own trace, when one statement writes the events of several deliveries. */
  traces?: ReadonlyArray<TraceHeaders | undefined>,
): Promise<void> {
  if (!events.length) return;
  const here = traceHeaders();
  const traceOf = (i: number) => {
    const trace = traces?.[i] ?? here;
    return Object.keys(trace).length ? JSON.stringify(trace) : null;
  };
  await tx.query(
    `INSERT INTO outbox (topic, key, payload, trace)
     SELECT topic, key, payload::jsonb, trace::jsonb
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS e(topic, key, payload, trace, n)
      ORDER BY n`,
    [
      events.map((e) => e.topic),
      events.map((e) => (e.payload as { reportId: string }).reportId),
      events.map((e) => JSON.stringify(e.payload)),
      events.map((_, i) => traceOf(i)),
    ],
  );
}
