import type { TopicMap, TopicName } from '@aduan/contracts';
import type { EntityManager } from 'typeorm';

/** Writes an event into the outbox inside the caller's transaction; the relay publishes it. */
export async function enqueue<T extends TopicName>(
  tx: EntityManager,
  topic: T,
  payload: TopicMap[T],
): Promise<void> {
  await tx.query('INSERT INTO outbox (topic, key, payload) VALUES ($1, $2, $3)', [
    topic,
    (payload as { reportId: string }).reportId,
    JSON.stringify(payload),
  ]);
}
