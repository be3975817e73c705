import {
  deadLetterTopic,
  readCloudEventHeaders,
  validateEvent,
  type CloudEventAttributes,
  type TopicMap,
  type TopicName,
} from '@aduan/contracts';
import type { Logger, Metrics } from '@aduan/platform';
import type { Consumer, EachMessagePayload, IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import { backoffDelay, sleep } from '@aduan/platform';
import { classifyFailure, type Failure } from './errors';
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
  /**
   * Backoff between attempts at an event that failed transiently (full jitter, doubling from
   * the base up to the cap). There is no attempt limit: the partition stays paused on that
   * event for as long as the outage lasts (ADR 0052).
   */
  retryBaseMs?: number;
  retryMaxMs?: number;
}

/** How the runner reports a partition it keeps paused on an event that fails transiently. */
export interface RunnerOptions {
  /** A hold longer than this makes readiness false (default 15 s). */
  holdUnreadyAfterMs?: number;
}

/**
 * Attempts made in place, within about a second, before the partition is paused: most
 * transient failures are blips, and a paused partition is fetched again only after resume.
 */
const INLINE_ATTEMPTS = 3;

/** A partition paused on one event while its failure lasts. */
interface Hold {
  topic: TopicName;
  physical: string;
  partition: number;
  offset: string;
  attempts: number;
  since: number;
  code: string;
  timer?: NodeJS.Timeout;
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
 *
 * A transient failure never dead-letters: the runner pauses that partition, seeks back to the
 * event and resumes after a capped backoff, for as long as the failure lasts. The other
 * partitions keep flowing and the consumer stays in its group (nothing blocks `eachMessage`,
 * so heartbeats go on). Only what can never succeed goes to `<topic>.dlq`.
 */
export class ConsumerRunner {
  private consumer: Consumer | undefined;
  private readonly abort = new AbortController();
  private crashed: Error | undefined;
  private readonly byPhysical = new Map<string, TopicName>();
  private readonly holds = new Map<string, Hold>();

  constructor(
    private readonly kafka: Kafka,
    private readonly bus: EventBus,
    private readonly sub: Subscription<TopicName>,
    private readonly logger: Logger,
    private readonly metrics?: Metrics,
    private readonly options: RunnerOptions = {},
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
    // After a rebalance a held partition may belong to someone else, who starts from the
    // committed position (the held event); one still ours is resumed and retried at once.
    consumer.on(consumer.events.GROUP_JOIN, () => this.releaseHolds(true));
    await consumer.connect();
    await consumer.subscribe({
      topics: [...this.byPhysical.keys()],
      fromBeginning: this.sub.fromBeginning ?? true,
    });
    await consumer.run({ autoCommit: false, eachMessage: (p) => this.handle(p) });
  }

  /** Throws while the consumer has stopped, or a partition has been held longer than allowed. */
  assertHealthy(now = Date.now()): void {
    if (this.crashed) throw new Error(`consumer ${this.sub.groupId} stopped: ${this.crashed.message}`);
    const limit = this.options.holdUnreadyAfterMs ?? 15_000;
    const long = [...this.holds.values()].filter((h) => now - h.since >= limit);
    if (!long.length) return;
    throw new Error(
      long
        .map(
          (h) =>
            `consumer ${this.sub.groupId} holds ${h.topic}[${h.partition}] at offset ${h.offset} for ` +
            `${Math.round((now - h.since) / 1000)} s: ${h.code}, retrying (attempt ${h.attempts})`,
        )
        .join('; '),
    );
  }

  /** The partitions held right now, for the operator's view and the tests. */
  heldPartitions(): Array<{
    topic: TopicName;
    partition: number;
    offset: string;
    code: string;
    sinceMs: number;
  }> {
    const now = Date.now();
    return [...this.holds.values()].map((h) => ({
      topic: h.topic,
      partition: h.partition,
      offset: h.offset,
      code: h.code,
      sinceMs: now - h.since,
    }));
  }

  /** Prompt even during a hold: the backoff is a timer, not a wait inside the handler. */
  async stop(): Promise<void> {
    this.abort.abort();
    this.releaseHolds(false);
    await this.consumer?.disconnect();
  }

  private async handle({
    topic: physical,
    partition,
    message,
    pause,
    heartbeat,
  }: EachMessagePayload): Promise<void> {
    const topic = this.byPhysical.get(physical)!;
    const offset = message.offset;
    const headers = headersToStrings(message.headers);
    const key = message.key?.toString('utf8') ?? null;
    const log = this.logger.child({ groupId: this.sub.groupId, topic, partition, offset, reportId: key });
    const started = process.hrtime.bigint();
    const holdKey = `${physical}:${partition}`;
    const held = this.holds.get(holdKey);

    for (let attempt = held?.offset === offset ? held.attempts + 1 : 1; ; attempt++) {
      try {
        const ce = readCloudEventHeaders(topic, headers);
        const payload = validateEvent(topic, JSON.parse(message.value?.toString('utf8') ?? 'null'));
        const handler = this.sub.handlers[topic] as Handler<TopicName>;
        await handler({ topic, payload, ce, key, partition, offset, log });
        if (held) {
          log.info('partition flows again', { attempts: attempt, heldMs: Date.now() - held.since });
          this.release(holdKey);
        }
        this.count(topic, 'ok', started);
        break;
      } catch (err) {
        const failure = classifyFailure(err);
        if (this.abort.signal.aborted) throw err; // shutting down: leave it uncommitted for the next owner
        if (failure.kind === 'transient' && !held && attempt < INLINE_ATTEMPTS) {
          // A blip (a related event on another topic not handled yet, a dropped connection)
          // usually passes within a second: retried in place, it costs no refetch.
          const delay = Math.min(this.backoff(attempt), 1_000);
          log.warn('handler failed transiently, will retry', {
            attempt,
            delayMs: delay,
            code: failure.code,
            error: failure.message,
          });
          this.countRetry(topic, failure);
          await heartbeat();
          await sleep(delay, this.abort.signal);
          if (this.abort.signal.aborted) throw err;
          continue;
        }
        if (failure.kind === 'transient') {
          this.hold(
            { holdKey, topic, physical, partition, offset, attempt, failure, since: held?.since },
            pause,
            log,
          );
          return; // not committed: the seek brings this very event back after the backoff
        }
        if (held) this.release(holdKey);
        await this.deadLetter(physical, topic, partition, message, headers, failure, attempt, log);
        this.count(topic, 'dead_lettered', started);
        break;
      }
    }
    await this.consumer!.commitOffsets([
      { topic: physical, partition, offset: (BigInt(offset) + 1n).toString() },
    ]);
  }

  private backoff(attempt: number): number {
    return backoffDelay(attempt, this.sub.retryBaseMs ?? 200, this.sub.retryMaxMs ?? 30_000);
  }

  private countRetry(topic: TopicName, failure: Failure): void {
    this.metrics
      ?.counter('aduan_consumer_retries_total', 'Attempts at an event that failed transiently', [
        'topic',
        'group',
        'code',
      ])
      .inc({ topic, group: this.sub.groupId, code: failure.code });
  }

  private hold(
    h: {
      holdKey: string;
      topic: TopicName;
      physical: string;
      partition: number;
      offset: string;
      attempt: number;
      failure: Failure;
      since: number | undefined;
    },
    pause: () => () => void,
    log: Logger,
  ): void {
    const delay = this.backoff(h.attempt);
    const previous = this.holds.get(h.holdKey);
    if (previous?.timer) clearTimeout(previous.timer);
    // pause() stops fetching this partition and ends the batch in hand; the seek makes the
    // next fetch after resume start at this event again (nothing after it was processed).
    const resume = pause();
    this.consumer!.seek({ topic: h.physical, partition: h.partition, offset: h.offset });
    const hold: Hold = {
      topic: h.topic,
      physical: h.physical,
      partition: h.partition,
      offset: h.offset,
      attempts: h.attempt,
      since: h.since ?? Date.now(),
      code: h.failure.code,
    };
    hold.timer = setTimeout(() => {
      hold.timer = undefined;
      if (!this.abort.signal.aborted) resume();
    }, delay);
    this.holds.set(h.holdKey, hold);
    // Every attempt while short, then one line in ten: an outage of hours must not flood the log.
    if (h.attempt <= 5 || h.attempt % 10 === 0)
      log.warn('handler failed transiently, partition paused, will retry', {
        attempt: h.attempt,
        delayMs: delay,
        code: h.failure.code,
        error: h.failure.message,
      });
    this.countRetry(h.topic, h.failure);
    this.reportHolds();
  }

  private release(holdKey: string, resume = false): void {
    const hold = this.holds.get(holdKey);
    if (hold?.timer) clearTimeout(hold.timer);
    if (hold && resume) this.consumer?.resume([{ topic: hold.physical, partitions: [hold.partition] }]);
    this.holds.delete(holdKey);
    this.reportHolds();
  }

  private releaseHolds(resume: boolean): void {
    for (const key of [...this.holds.keys()]) this.release(key, resume);
  }

  private reportHolds(): void {
    this.metrics
      ?.gauge('aduan_consumer_paused_partitions', 'Partitions paused on an event that fails transiently', [
        'group',
      ])
      .set({ group: this.sub.groupId }, this.holds.size);
  }

  private async deadLetter(
    physical: string,
    topic: TopicName,
    partition: number,
    message: KafkaMessage,
    headers: Record<string, string>,
    failure: Failure,
    attempt: number,
    log: Logger,
  ): Promise<void> {
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
        dlq_source_offset: message.offset,
        dlq_group: this.sub.groupId,
        dlq_attempts: String(attempt),
        dlq_failed_at: new Date().toISOString(),
      },
    });
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
