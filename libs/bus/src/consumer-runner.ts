import {
  deadLetterTopic,
  readCloudEventHeaders,
  validateEvent,
  type CloudEventAttributes,
  type TopicMap,
  type TopicName,
} from '@aduan/contracts';
import type { Logger, Metrics } from '@aduan/platform';
import type { Consumer, EachMessagePayload, IHeaders, Kafka } from 'kafkajs';
import { backoffDelay, sleep } from '@aduan/platform';
import { classifyFailure } from './errors';
import type { EventBus } from './event-bus';

export interface Delivery<T extends TopicName> {
  topic: T;
  payload: TopicMap[T];
  ce: CloudEventAttributes;
  key: string | null;
  partition: number;
  offset: string;
  /** Carries topic, partition, offset and report id on every line. */
  log: Logger;
}

export type Handler<T extends TopicName> = (delivery: Delivery<T>) => Promise<void>;

export interface Subscription<T extends TopicName> {
  /**
   * Explicit and stable: it is where the committed position lives. The bus prefixes it like
   * the topics (KAFKA_TOPIC_PREFIX), so isolated stacks on one broker never share a group.
   */
  groupId: string;
  handlers: { [K in T]: Handler<K> };
  /** A new group starts at the oldest event, so nothing published before it joined is missed. */
  fromBeginning?: boolean;
  /** Attempts for a transient failure before the event is dead-lettered. */
  maxAttempts?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
}

function headersToStrings(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (v === undefined) continue;
    out[k] = Array.isArray(v) ? String(v[0]) : Buffer.isBuffer(v) ? v.toString('utf8') : String(v);
  }
  return out;
}

/**
 * Runs one consumer group. The position is committed only after a message's handler
 * succeeded, or after the message was safely on its dead-letter topic; a crash in between
 * means the message is delivered again, so handlers are written to be idempotent.
 */
export class ConsumerRunner {
  private consumer: Consumer | undefined;
  private readonly abort = new AbortController();
  private crashed: Error | undefined;
  private readonly byPhysical = new Map<string, TopicName>();

  constructor(
    private readonly kafka: Kafka,
    private readonly bus: EventBus,
    private readonly sub: Subscription<TopicName>,
    private readonly logger: Logger,
    private readonly metrics?: Metrics,
  ) {
    for (const topic of Object.keys(sub.handlers) as TopicName[])
      this.byPhysical.set(bus.physical(topic), topic);
  }

  async start(): Promise<void> {
    await this.bus.whenBrokerServes(async () => {
      try {
        await this.join();
      } catch (err) {
        // A half-joined consumer would keep heartbeating; the next attempt starts afresh.
        await this.consumer?.disconnect().catch(() => undefined);
        throw err;
      }
    });
  }

  private async join(): Promise<void> {
    const consumer = this.kafka.consumer({
      // Prefixed like the topics: two stacks sharing a broker must never share a group.
      groupId: this.bus.physical(this.sub.groupId),
      allowAutoTopicCreation: false,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
      // kafkajs waits up to 5 s per fetch by default, which also slows every group join and leave.
      maxWaitTimeInMs: 500,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.CRASH, (e) => {
      const error = e.payload.error;
      this.logger.error('consumer crashed', { groupId: this.sub.groupId, error, restart: e.payload.restart });
      if (!e.payload.restart) this.crashed = error;
    });
    await consumer.connect();
    await consumer.subscribe({
      topics: [...this.byPhysical.keys()],
      fromBeginning: this.sub.fromBeginning ?? true,
    });
    await consumer.run({ autoCommit: false, eachMessage: (p) => this.handle(p) });
  }

  assertHealthy(): void {
    if (this.crashed) throw new Error(`consumer ${this.sub.groupId} stopped: ${this.crashed.message}`);
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.consumer?.disconnect();
  }

  private async handle({
    topic: physical,
    partition,
    message,
    heartbeat,
  }: EachMessagePayload): Promise<void> {
    const topic = this.byPhysical.get(physical)!;
    const offset = message.offset;
    const headers = headersToStrings(message.headers);
    const key = message.key?.toString('utf8') ?? null;
    const log = this.logger.child({ groupId: this.sub.groupId, topic, partition, offset, reportId: key });
    const maxAttempts = this.sub.maxAttempts ?? 6;
    const started = process.hrtime.bigint();

    for (let attempt = 1; ; attempt++) {
      try {
        const ce = readCloudEventHeaders(topic, headers);
        const payload = validateEvent(topic, JSON.parse(message.value?.toString('utf8') ?? 'null'));
        const handler = this.sub.handlers[topic] as Handler<TopicName>;
        await handler({ topic, payload, ce, key, partition, offset, log });
        this.count(topic, 'ok', started);
        break;
      } catch (err) {
        const failure = classifyFailure(err);
        if (this.abort.signal.aborted) throw err; // shutting down: leave it uncommitted for the next owner
        if (failure.kind === 'transient' && attempt < maxAttempts) {
          const delay = backoffDelay(attempt, this.sub.retryBaseMs ?? 200, this.sub.retryMaxMs ?? 10_000);
          log.warn('handler failed, will retry', {
            attempt,
            delayMs: delay,
            code: failure.code,
            error: failure.message,
          });
          await heartbeat();
          await sleep(delay, this.abort.signal);
          if (this.abort.signal.aborted) throw err;
          continue;
        }
        log.error('dead-lettering event', { attempt, code: failure.code, error: failure.message });
        await this.bus.sendRaw(deadLetterTopic(topic), {
          key: message.key,
          value: message.value,
          headers: {
            ...headers,
            dlq_reason: failure.message.slice(0, 2000),
            dlq_code: failure.code,
            dlq_kind: failure.kind,
            dlq_source_topic: physical,
            dlq_source_partition: String(partition),
            dlq_source_offset: offset,
            dlq_group: this.sub.groupId,
            dlq_attempts: String(attempt),
            dlq_failed_at: new Date().toISOString(),
          },
        });
        this.count(topic, 'dead_lettered', started);
        break;
      }
    }
    await this.consumer!.commitOffsets([
      { topic: physical, partition, offset: (BigInt(offset) + 1n).toString() },
    ]);
  }

  private count(topic: TopicName, result: string, started: bigint): void {
    if (!this.metrics) return;
    this.metrics
      .counter('aduan_events_consumed_total', 'Events consumed, by result', ['topic', 'group', 'result'])
      .inc({ topic, group: this.sub.groupId, result });
    this.metrics
      .histogram('aduan_event_handler_seconds', 'Time to handle one event', ['topic', 'group'])
      .observe({ topic, group: this.sub.groupId }, Number(process.hrtime.bigint() - started) / 1e9);
  }
}
