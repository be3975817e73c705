import type { TopicMap, TopicName } from '@aduan/contracts';
import { uniqueSuffix } from './environment';

/**
 * The part of the bus a collector needs. Structural, so that this library does not depend on
 * @aduan/bus, whose own tests use it.
 */
interface Subscribable {
  subscribe(subscription: { groupId: string; handlers: never; fromBeginning: boolean }): {
    start(): Promise<void>;
  };
}

/** Subscribes a throw-away consumer group and keeps every event of the topic for assertions. */
export async function collectEvents<T extends TopicName>(
  bus: Subscribable,
  topic: T,
): Promise<Array<TopicMap[T]>> {
  const seen: Array<TopicMap[T]> = [];
  const handlers = { [topic]: async (d: { payload: TopicMap[T] }) => void seen.push(d.payload) } as never;
  const runner = bus.subscribe({ groupId: `collector-${uniqueSuffix()}`, handlers, fromBeginning: true });
  await runner.start();
  return seen;
}
