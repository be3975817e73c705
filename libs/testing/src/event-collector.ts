import type { TopicMap, TopicName } from '@aduan/contracts';
import type { EventBus } from '@aduan/bus';
import { uniqueSuffix } from './environment';

/** Subscribes a throw-away consumer group and keeps every event of the topic for assertions. */
export async function collectEvents<T extends TopicName>(bus: EventBus, topic: T): Promise<Array<TopicMap[T]>> {
  const seen: Array<TopicMap[T]> = [];
  const handlers = { [topic]: async (d: { payload: TopicMap[T] }) => void seen.push(d.payload) } as never;
  const runner = bus.subscribe({ groupId: `collector-${uniqueSuffix()}`, handlers, fromBeginning: true });
  await runner.start();
  return seen;
}
