import {
  deadLetterTopic,
  readCloudEventHeaders,
  validateEvent,
  type CloudEventAttributes,
  type TopicMap,
  type TopicName,
} from '@aduan/contracts';
import type { Context } from '@opentelemetry/api';
import type { Logger, Metrics } from '@aduan/platform';
import type { Consumer, EachBatchPayload, EachMessagePayload, IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import {
  backoffDelay,
  inSpan,
  SpanKind,
  sleep,
  TimeoutError,
  traceContextOf,
  withTimeout,
} from '@aduan/platform';
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
  /**
   * The trace the record's `traceparent` continues. A message handler already runs inside it;
   * a batch handler runs each event's own work in it with `inDeliveryTrace`.
   */
  traceContext?: Context;
}

export type Handler<T extends TopicName> = (delivery: Delivery<T>) => Promise<void>;

/** Events of one partition, in offset order, handed to a batch handler at once. */
export interface DeliveryBatch<T extends TopicName> {
  topic: T;
  partition: number;
  /** Validated like a single delivery; events that cannot be read are dead-lettered apart. */
  deliveries: Array<Delivery<T>>;
  /** Carries topic, partition and the batch's first and last offsets. */
  log: Logger;
}

/**
 * Resolves once every event of the batch is handled (for a database, in one transaction); the
 * position moves past the batch only then. A transient failure holds the whole batch; a
 * permanent one is narrowed down to its event by handling the batch's events one at a time.
 */
export type BatchHandler<T extends TopicName> = (batch: DeliveryBatch<T>) => Promise<void>;

interface SubscriptionOptions {
  /**
   * Explicit and stable: it is where the committed position lives. The bus prefixes it like
   * the topics (KAFKA_TOPIC_PREFIX), so isolated stacks on one broker never share a group.
   */
  groupId: string;
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

export interface Subscription<T extends TopicName> extends SubscriptionOptions {
  handlers: { [K in T]: Handler<K> };
}

export interface BatchSubscription<T extends TopicName> extends SubscriptionOptions {
  batchHandlers: { [K in T]: BatchHandler<K> };
  /** Events per handler call at most (default 500); a larger fetch is handed over in parts. */
  maxBatchRecords?: number;
  /**
   * Partitions whose batches may be handled at the same time (default 1). Each partition keeps
   * its order; handlers must then cope with other partitions' batches in flight beside theirs,
   * as they already must with a second instance.
   */
  partitionsConcurrently?: number;
}

/** What EventBus.subscribe / subscribeBatches hand the runner. */
export type RunnerSubscription =
  (Subscription<TopicName> & { mode: 'message' }) | (BatchSubscription<TopicName> & { mode: 'batch' });

/** How the runner reports a partition it keeps paused on an event that fails transiently. */
export interface RunnerOptions {
  /** A hold longer than this makes readiness false (default 15 s). */
  holdUnreadyAfterMs?: number;
  /** How long the group waits on a silent member before rebalancing (default 30 s). */
  sessionTimeoutMs?: number;
}

/**
 * Attempts made in place, within about a second, before the partition is paused: most
 * transient failures are blips, and a paused partition is fetched again only after resume.
 */
const INLINE_ATTEMPTS = 3;

/**
 * How often a long batch handler is interrupted to heartbeat; kafkajs sends one only when its
 * heartbeat interval (3 s) has passed, so asking often costs nothing.
 */
const PACEMAKER_MS = 1_000;
/** How long a stopping consumer waits to leave its group before giving up on it. */
const LEAVE_GROUP_TIMEOUT_MS = 15_000;

const DEFAULT_MAX_BATCH_RECORDS = 500;

/** One record of a fetched batch: the delivery it decodes to, or why it cannot be read. */
interface Entry {
  message: KafkaMessage;
  headers: Record<string, string>;
  delivery?: Delivery<TopicName>;
  failure?: Failure;
}

/** Where a batch is being handled, for the attempts and holds on it. */
interface BatchContext {
  topic: TopicName;
  physical: string;
  partition: number;
  log: Logger;
  heartbeat: () => Promise<void>;
  pause: () => () => void;
}

type Attempt = { kind: 'done' } | { kind: 'held' } | { kind: 'permanent'; failure: Failure; attempt: number };

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
    private readonly sub: RunnerSubscription,
    private readonly logger: Logger,
    private readonly metrics?: Metrics,
    private readonly options: RunnerOptions = {},
  ) {
    const handlers = sub.mode === 'batch' ? sub.batchHandlers : sub.handlers;
    for (const topic of Object.keys(handlers) as TopicName[]) this.byPhysical.set(bus.physical(topic), topic);
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
      sessionTimeout: this.options.sessionTimeoutMs ?? 30_000,
      // kafkajs's advice: a third of the session at most, so two lost heartbeats are survived.
      heartbeatInterval: Math.min(3_000, Math.floor((this.options.sessionTimeoutMs ?? 30_000) / 3)),
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
    if (this.sub.mode === 'batch')
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: Math.max(1, this.sub.partitionsConcurrently ?? 1),
        eachBatch: (p) => this.handleBatch(p),
      });
    else await consumer.run({ autoCommit: false, eachMessage: (p) => this.handle(p) });
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

  /** For instrumentation: the heartbeats a long batch keeps sending. */
  get consumerClient(): Consumer | undefined {
    return this.consumer;
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

  private spanAttributes(physical: string, partition: number, offset: string, key: string | null) {
    return {
      'messaging.system': 'kafka',
      'messaging.destination.name': physical,
      'messaging.consumer.group.name': this.bus.physical(this.sub.groupId),
      'messaging.destination.partition.id': String(partition),
      'messaging.kafka.offset': Number(offset),
      ...(key ? { 'messaging.kafka.message.key': key } : {}),
    };
  }

  /**
   * Prompt even during a hold: the backoff is a timer, not a wait inside the handler. Leaving
   * the group is bounded: kafkajs's disconnect can wait for ever when it lands in a rebalance
   * (tulios/kafkajs#1462), and a service that cannot stop is worse than one whose member the
   * broker drops after the session timeout. The message in hand was committed or will be
   * redelivered either way.
   */
  async stop(): Promise<void> {
    this.abort.abort();
    this.releaseHolds(false);
    const consumer = this.consumer;
    if (!consumer) return;
    try {
      await withTimeout(consumer.disconnect(), LEAVE_GROUP_TIMEOUT_MS, 'leaving the consumer group');
    } catch (err) {
      if (!(err instanceof TimeoutError)) throw err;
      this.logger.warn(
        'consumer did not leave its group in time; the broker drops it after its session timeout',
        {
          groupId: this.sub.groupId,
          waitedMs: LEAVE_GROUP_TIMEOUT_MS,
        },
      );
    }
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
        const handler = (this.sub as Subscription<TopicName>).handlers[topic] as Handler<TopicName>;
        const traceContext = traceContextOf(headers);
        await inSpan(
          this.bus.serviceName,
          `process ${topic}`,
          {
            kind: SpanKind.CONSUMER,
            parent: traceContext,
            attributes: this.spanAttributes(physical, partition, offset, key),
          },
          () => handler({ topic, payload, ce, key, partition, offset, log, traceContext }),
        );
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

  /**
   * eachBatch: the fetched events of one partition go to the handler in parts of at most
   * `maxBatchRecords`; each part is committed once the handler resolved (ADR 0062).
   */
  private async handleBatch({
    batch,
    heartbeat,
    pause,
    isRunning,
    isStale,
    resolveOffset,
  }: EachBatchPayload) {
    const topic = this.byPhysical.get(batch.topic)!;
    const max = (this.sub.mode === 'batch' && this.sub.maxBatchRecords) || DEFAULT_MAX_BATCH_RECORDS;
    for (let i = 0; i < batch.messages.length; i += max) {
      if (!isRunning() || isStale() || this.abort.signal.aborted) return;
      const part = batch.messages.slice(i, i + max);
      const log = this.logger.child({
        groupId: this.sub.groupId,
        topic,
        partition: batch.partition,
        offset: part[0]!.offset,
        lastOffset: part.at(-1)!.offset,
      });
      const ctx: BatchContext = {
        topic,
        physical: batch.topic,
        partition: batch.partition,
        log,
        heartbeat,
        pause,
      };
      if (!(await this.handlePart(ctx, part))) return; // held: the seek brings the rest back
      resolveOffset(part.at(-1)!.offset);
    }
  }

  /** Returns false when the partition is now held on an event of this part. */
  private async handlePart(ctx: BatchContext, messages: KafkaMessage[]): Promise<boolean> {
    const started = process.hrtime.bigint();
    const entries = messages.map((m) => this.decode(ctx, m));
    const readable = entries.filter((e) => e.delivery);
    const whole: Attempt = readable.length
      ? await this.attemptBatch(ctx, readable, messages[0]!.offset)
      : { kind: 'done' };
    if (whole.kind === 'held') return false;
    let ok = whole.kind === 'done' ? readable.length : 0;
    let dead = 0;
    if (whole.kind === 'permanent') {
      // Only the events themselves can say which of them can never succeed: one at a time.
      if (readable.length > 1)
        ctx.log.warn('batch failed permanently, handling its events one by one', {
          code: whole.failure.code,
        });
      for (const entry of readable) {
        const one =
          readable.length === 1 ? whole : await this.attemptBatch(ctx, [entry], entry.message.offset);
        if (one.kind === 'held') {
          // Everything before it is handled or dead-lettered: the position moves up to it.
          dead += await this.deadLetterUnreadable(ctx, entries, entry.message.offset);
          await this.commit(ctx, entry.message.offset);
          this.countBatch(ctx.topic, ok, dead, started);
          return false;
        }
        if (one.kind === 'done') {
          ok++;
          continue;
        }
        const { message, headers, delivery } = entry;
        await this.deadLetter(
          ctx.physical,
          ctx.topic,
          ctx.partition,
          message,
          headers,
          one.failure,
          one.attempt,
          delivery!.log,
        );
        dead++;
      }
    }
    dead += await this.deadLetterUnreadable(ctx, entries);
    await this.commit(ctx, (BigInt(messages.at(-1)!.offset) + 1n).toString());
    this.countBatch(ctx.topic, ok, dead, started);
    return true;
  }

  private decode(ctx: Pick<BatchContext, 'topic' | 'partition'>, message: KafkaMessage): Entry {
    const headers = headersToStrings(message.headers);
    const key = message.key?.toString('utf8') ?? null;
    try {
      const ce = readCloudEventHeaders(ctx.topic, headers);
      const payload = validateEvent(ctx.topic, JSON.parse(message.value?.toString('utf8') ?? 'null'));
      const log = this.logger.child({
        groupId: this.sub.groupId,
        topic: ctx.topic,
        partition: ctx.partition,
        offset: message.offset,
        reportId: key,
      });
      return {
        message,
        headers,
        delivery: {
          topic: ctx.topic,
          payload,
          ce,
          key,
          partition: ctx.partition,
          offset: message.offset,
          log,
          traceContext: traceContextOf(headers),
        },
      };
    } catch (err) {
      return { message, headers, failure: classifyFailure(err) };
    }
  }

  /**
   * Runs the batch handler on these events until it succeeds, fails permanently, or the
   * partition is held (first at `firstOffset`). Heartbeats go on while the handler runs.
   */
  private async attemptBatch(ctx: BatchContext, entries: Entry[], firstOffset: string): Promise<Attempt> {
    const handler = (this.sub as BatchSubscription<TopicName>).batchHandlers[
      ctx.topic
    ] as BatchHandler<TopicName>;
    const deliveries = entries.map((e) => e.delivery!);
    const holdKey = `${ctx.physical}:${ctx.partition}`;
    const held = this.holds.get(holdKey);
    for (let attempt = held?.offset === firstOffset ? held.attempts + 1 : 1; ; attempt++) {
      try {
        await this.withHeartbeats(ctx, () =>
          handler({ topic: ctx.topic, partition: ctx.partition, deliveries, log: ctx.log }),
        );
        if (held) {
          ctx.log.info('partition flows again', { attempts: attempt, heldMs: Date.now() - held.since });
          this.release(holdKey);
        }
        return { kind: 'done' };
      } catch (err) {
        const failure = classifyFailure(err);
        if (this.abort.signal.aborted) throw err; // shutting down: left uncommitted for the next owner
        if (failure.kind === 'permanent') {
          if (held) this.release(holdKey);
          return { kind: 'permanent', failure, attempt };
        }
        if (!held && attempt < INLINE_ATTEMPTS) {
          const delay = Math.min(this.backoff(attempt), 1_000);
          ctx.log.warn('batch handler failed transiently, will retry', {
            attempt,
            records: deliveries.length,
            delayMs: delay,
            code: failure.code,
            error: failure.message,
          });
          this.countRetry(ctx.topic, failure);
          await ctx.heartbeat();
          await sleep(delay, this.abort.signal);
          if (this.abort.signal.aborted) throw err;
          continue;
        }
        this.hold(
          {
            holdKey,
            topic: ctx.topic,
            physical: ctx.physical,
            partition: ctx.partition,
            offset: firstOffset,
            attempt,
            failure,
            since: held?.since,
          },
          ctx.pause,
          ctx.log,
        );
        return { kind: 'held' };
      }
    }
  }

  /**
   * kafkajs heartbeats only between batches; a handler writing a large batch must not look
   * dead to the group meanwhile.
   */
  private async withHeartbeats(ctx: BatchContext, work: () => Promise<void>): Promise<void> {
    const timer = setInterval(() => {
      // A rebalance found here fails the commit after the handler, and kafkajs rejoins; the
      // uncommitted batch then goes to whoever owns the partition.
      ctx
        .heartbeat()
        .catch((err: Error) => ctx.log.warn('heartbeat during a batch failed', { error: err.message }));
    }, PACEMAKER_MS);
    try {
      await work();
    } finally {
      clearInterval(timer);
    }
  }

  /** Dead-letters the unreadable events of a part (those before `before` only, when given). */
  private async deadLetterUnreadable(ctx: BatchContext, entries: Entry[], before?: string): Promise<number> {
    let n = 0;
    for (const e of entries) {
      if (!e.failure || (before !== undefined && BigInt(e.message.offset) >= BigInt(before))) continue;
      const log = ctx.log.child({ offset: e.message.offset });
      await this.deadLetter(ctx.physical, ctx.topic, ctx.partition, e.message, e.headers, e.failure, 1, log);
      n++;
    }
    return n;
  }

  private async commit(ctx: BatchContext, next: string): Promise<void> {
    await this.consumer!.commitOffsets([{ topic: ctx.physical, partition: ctx.partition, offset: next }]);
  }

  private countBatch(topic: TopicName, ok: number, dead: number, started: bigint): void {
    if (!this.metrics) return;
    const consumed = this.metrics.counter('aduan_events_consumed_total', 'Events consumed, by result', [
      'topic',
      'group',
      'result',
    ]);
    if (ok) consumed.inc({ topic, group: this.sub.groupId, result: 'ok' }, ok);
    if (dead) consumed.inc({ topic, group: this.sub.groupId, result: 'dead_lettered' }, dead);
    this.metrics
      .histogram('aduan_event_batch_handler_seconds', 'Time to handle one batch of events', [
        'topic',
        'group',
      ])
      .observe({ topic, group: this.sub.groupId }, Number(process.hrtime.bigint() - started) / 1e9);
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

/**
 * Runs one event's work of a batch in that event's trace (a `process <topic>` span under the
 * record's `traceparent`), so what the work publishes or writes to an outbox continues it.
 */
export function inDeliveryTrace<T>(
  scope: string,
  delivery: Delivery<TopicName>,
  work: () => Promise<T>,
): Promise<T> {
  return inSpan(
    scope,
    `process ${delivery.topic}`,
    {
      kind: SpanKind.CONSUMER,
      ...(delivery.traceContext ? { parent: delivery.traceContext } : {}),
      attributes: { 'messaging.system': 'kafka', 'messaging.kafka.offset': Number(delivery.offset) },
    },
    work,
  );
}
