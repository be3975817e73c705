import {
  cloudEventHeaders,
  deadLetterTopic,
  TOPICS,
  validateEvent,
  type TopicMap,
  type TopicName,
} from '@aduan/contracts';
import { inSpan, SpanKind, traceHeaders, waitForStartup, type Logger, type Metrics } from '@aduan/platform';
import {
  CompressionTypes,
  Kafka,
  logLevel,
  type Admin,
  type ISocketFactory,
  type Message,
  type Producer,
} from 'kafkajs';
import {
  CoalescingPublisher,
  DEFAULT_BATCHING,
  recordingPartitioner,
  type BatchingOptions,
  type RecordAck,
} from './coalescing-publisher';
import {
  ConsumerRunner,
  type BatchSubscription,
  type RunnerSubscription,
  type Subscription,
} from './consumer-runner';
import { dlqDepth } from './dlq';
import { kafkaLogCreator } from './kafka-logging';
import type { KafkaSecurity } from './kafka-security';
import { isKafkaStarting, LeadersNotElected } from './kafka-readiness';

export interface EventBusOptions {
  brokers: string[];
  clientId: string;
  /** CloudEvents `source` of everything this service publishes, e.g. `/aduan/channel-jaki`. */
  source: string;
  logger: Logger;
  metrics?: Metrics;
  /** Partitions for topics created at start-up. */
  partitions?: number;
  /**
   * Prepended to every physical topic name. Production leaves it empty; tests use a fresh one
   * per suite so that suites sharing a broker never see each other's events.
   */
  topicPrefix?: string;
  /** How long start-up waits for a broker that is not serving yet (STARTUP_WAIT_SECONDS). */
  startupWaitMs?: number;
  /** TLS and SASL towards the brokers (KAFKA_SSL*, KAFKA_SASL*; see kafkaSecurity). */
  security?: KafkaSecurity;
  /** Readiness turns false once a consumer has held a partition on a failing event this long. */
  holdUnreadyAfterMs?: number;
  /**
   * How concurrent publishes share produce requests (KAFKA_LINGER_MS, KAFKA_BATCH_MAX_*; ADR
   * 0062). `false` sends every record on its own request, as before batching (the benchmark's
   * baseline).
   */
  batching?: Partial<BatchingOptions> | false;
  /** How long a consumer group waits on a crashed member (KAFKA_SESSION_TIMEOUT_MS, default 30 s). */
  sessionTimeoutMs?: number;
  /** Opens the sockets to the brokers; tests route them through a connection they can cut. */
  socketFactory?: ISocketFactory;
}

const DEFAULT_STARTUP_WAIT_MS = 180_000;

export interface Published {
  topic: string;
  partition: number;
  offset: string;
  id: string;
}

/**
 * The one door to Kafka: typed publish (validated against the topic's schema, awaited until
 * every in-sync replica has it) and typed consumer runners with retry and dead-lettering.
 */
export class EventBus {
  private readonly kafka: Kafka;
  private readonly producer: Producer;
  private readonly publisher: CoalescingPublisher | undefined;
  private readonly admin: Admin;
  private readonly runners: ConsumerRunner[] = [];
  private readonly consumed = new Set<TopicName>();
  /** Each consumer group of this service and the topics it reads, for the lag gauge. */
  private readonly groups = new Map<string, Set<TopicName>>();
  private connected = false;

  constructor(private readonly opts: EventBusOptions) {
    this.kafka = new Kafka({
      clientId: opts.clientId,
      brokers: opts.brokers,
      logLevel: logLevel.WARN,
      logCreator: kafkaLogCreator(opts.logger),
      retry: { initialRetryTime: 200, retries: 8 },
      ...opts.security,
      ...(opts.socketFactory ? { socketFactory: opts.socketFactory } : {}),
    });
    const partitioner = recordingPartitioner();
    // Idempotent: a retried send after a lost ack is written once, in order.
    this.producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: partitioner.createPartitioner,
    });
    if (opts.batching !== false) {
      const requestSize = opts.metrics?.histogram(
        'aduan_publish_request_records',
        'Records carried by one produce request of the coalescing publisher',
        [],
        [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 5000],
      );
      this.publisher = new CoalescingPublisher(
        this.producer,
        partitioner.partitionOf,
        { ...DEFAULT_BATCHING, ...opts.batching },
        (records) => requestSize?.observe(records),
      );
    }
    this.admin = this.kafka.admin();
  }

  physical(topic: string): string {
    return `${this.opts.topicPrefix ?? ''}${topic}`;
  }

  /**
   * Runs a start-up step against the broker, waiting while the broker is still coming up
   * (readiness stays false meanwhile: nothing is served before start-up ends).
   */
  async whenBrokerServes<T>(step: () => Promise<T>): Promise<T> {
    return waitForStartup(step, {
      what: `Kafka at ${this.opts.brokers.join(',')}`,
      logger: this.opts.logger,
      timeoutMs: this.opts.startupWaitMs ?? DEFAULT_STARTUP_WAIT_MS,
      isRetriable: isKafkaStarting,
      hint: 'Check that the broker runs and that KAFKA_BROKERS names it',
    });
  }

  async connect(): Promise<void> {
    await this.whenBrokerServes(async () => {
      await this.producer.connect();
      await this.admin.connect();
    });
    this.connected = true;
  }

  /**
   * Creates the topics (and their dead-letter topics) that do not exist yet, and returns only
   * once every partition of every one of them has a leader: several services start together
   * and create topics at the same moment, and a consumer that subscribes to a topic still
   * electing its leaders is refused.
   */
  async ensureTopics(topics: readonly TopicName[]): Promise<void> {
    const wanted = topics.flatMap((t) => [
      { topic: this.physical(t), compacted: TOPICS[t].compacted },
      { topic: this.physical(deadLetterTopic(t)), compacted: false },
    ]);
    await this.whenBrokerServes(async () => {
      const existing = new Set(await this.admin.listTopics());
      const missing = wanted.filter((t) => !existing.has(t.topic));
      if (missing.length) {
        // false when another service created them first: that is success too.
        const created = await this.admin.createTopics({
          waitForLeaders: true,
          topics: missing.map((t) => ({
            topic: t.topic,
            numPartitions: this.opts.partitions ?? 3,
            replicationFactor: -1,
            configEntries: t.compacted ? [{ name: 'cleanup.policy', value: 'compact' }] : [],
          })),
        });
        if (created) this.opts.logger.info('created topics', { topics: missing.map((t) => t.topic) });
      }
      await this.assertLeaders(wanted.map((t) => t.topic));
    });
  }

  private async assertLeaders(topics: string[]): Promise<void> {
    const { topics: metadata } = await this.admin.fetchTopicMetadata({ topics });
    const leaderless = metadata.flatMap((t) =>
      t.partitions.filter((p) => p.leader < 0).map((p) => `${t.name}[${p.partitionId}]`),
    );
    if (leaderless.length) throw new LeadersNotElected(leaderless);
  }

  async publish<T extends TopicName>(
    topic: T,
    payload: TopicMap[T],
    opts: { id?: string; time?: Date } = {},
  ): Promise<Published> {
    const data = validateEvent(topic, payload);
    const headers = cloudEventHeaders(topic, data, {
      source: this.opts.source,
      id: opts.id,
      time: opts.time,
    });
    const key = TOPICS[topic].key(data);
    const physical = this.physical(topic);
    const attributes = {
      'messaging.system': 'kafka',
      'messaging.destination.name': physical,
      ...(key ? { 'messaging.kafka.message.key': key } : {}),
    };
    return inSpan(this.serviceName, `publish ${topic}`, { kind: SpanKind.PRODUCER, attributes }, async () => {
      // The record continues the trace of whatever published it (W3C traceparent, ADR 0070).
      const message: Message = {
        key,
        value: JSON.stringify(data),
        headers: { ...headers, ...traceHeaders() },
      };
      // Resolved only once every in-sync replica has this very record (acks=all), batched or not.
      const ack = this.publisher
        ? await this.publisher.send(physical, message)
        : await this.sendAlone(physical, message);
      this.opts.metrics
        ?.counter('aduan_events_published_total', 'Events published', ['topic'])
        .inc({ topic });
      return { topic, partition: ack.partition, offset: ack.offset, id: headers['ce_id']! };
    });
  }

  /** The tracer scope of this bus's spans: the service it belongs to. */
  get serviceName(): string {
    return this.opts.clientId;
  }

  private async sendAlone(topic: string, message: Message): Promise<RecordAck> {
    const [meta] = await this.producer.send({
      topic,
      acks: -1,
      compression: CompressionTypes.None,
      messages: [message],
    });
    return { partition: meta!.partition, offset: meta!.baseOffset ?? '-1' };
  }

  /** Raw send for dead letters: the original bytes and headers, plus why they failed. */
  async sendRaw(
    topic: string,
    message: { key: Buffer | string | null; value: Buffer | string | null; headers: Record<string, string> },
  ): Promise<void> {
    await this.producer.send({ topic: this.physical(topic), acks: -1, messages: [message] });
  }

  /** One event per handler call. */
  subscribe<T extends TopicName>(subscription: Subscription<T>): ConsumerRunner {
    return this.addRunner(
      { ...subscription, mode: 'message' } as unknown as RunnerSubscription,
      Object.keys(subscription.handlers) as TopicName[],
    );
  }

  /**
   * The events of one partition, as many as one fetch brought (up to `maxBatchRecords`), per
   * handler call; the position is committed once the handler resolved (ADR 0062).
   */
  subscribeBatches<T extends TopicName>(subscription: BatchSubscription<T>): ConsumerRunner {
    return this.addRunner(
      { ...subscription, mode: 'batch' } as unknown as RunnerSubscription,
      Object.keys(subscription.batchHandlers) as TopicName[],
    );
  }

  private addRunner(subscription: RunnerSubscription, topics: TopicName[]): ConsumerRunner {
    const runner = new ConsumerRunner(this.kafka, this, subscription, this.opts.logger, this.opts.metrics, {
      holdUnreadyAfterMs: this.opts.holdUnreadyAfterMs,
      sessionTimeoutMs: this.opts.sessionTimeoutMs,
    });
    this.runners.push(runner);
    for (const topic of topics) this.consumed.add(topic);
    const group = this.groups.get(subscription.groupId) ?? new Set<TopicName>();
    for (const topic of topics) group.add(topic);
    this.groups.set(subscription.groupId, group);
    this.exportDlqDepth();
    this.exportConsumerLag();
    return runner;
  }

  /**
   * aduan_dlq_depth{topic}: events waiting on the dead-letter topic of every topic this
   * service consumes, read from the broker on each scrape (what `npm run dlq -- replay`
   * replayed is trimmed off, so a drained DLQ reads 0).
   */
  private exportDlqDepth(): void {
    this.opts.metrics?.gauge(
      'aduan_dlq_depth',
      'Events waiting on the dead-letter topic of a consumed topic',
      ['topic'],
      async (gauge) => {
        if (!this.connected) return;
        for (const topic of this.consumed) {
          const depth = await dlqDepth(this.admin, this.physical(deadLetterTopic(topic))).catch(
            () => undefined,
          );
          if (depth !== undefined) gauge.set({ topic }, depth);
        }
      },
    );
  }

  /**
   * aduan_consumer_lag{group,topic}: events on the topic that the group has not committed yet,
   * read from the broker on each scrape. It grows under a burst or while a partition is held
   * on an outage, and must come back to 0 once the service caught up: the alert for a backlog
   * that does not drain.
   */
  private exportConsumerLag(): void {
    this.opts.metrics?.gauge(
      'aduan_consumer_lag',
      'Events a consumer group has yet to handle, per topic',
      ['group', 'topic'],
      async (gauge) => {
        if (!this.connected) return;
        for (const [group, topics] of this.groups)
          for (const topic of topics) {
            const lag = await this.lagOf(group, topic).catch(() => undefined);
            if (lag !== undefined) gauge.set({ group, topic }, lag);
          }
      },
    );
  }

  private async lagOf(group: string, topic: TopicName): Promise<number> {
    const physical = this.physical(topic);
    const ends = await this.admin.fetchTopicOffsets(physical);
    const [committed] = await this.admin.fetchOffsets({ groupId: this.physical(group), topics: [physical] });
    const at = new Map((committed?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)]));
    return ends.reduce((sum, p) => {
      const position = at.get(p.partition) ?? -1n;
      // Nothing committed yet: the group starts from the beginning of what is retained.
      const from = position < 0n ? BigInt(p.low) : position;
      return sum + Number(BigInt(p.high) - from);
    }, 0);
  }

  /** Ready when the producer is connected and the cluster answers a metadata request. */
  async healthCheck(): Promise<void> {
    if (!this.connected) throw new Error('not connected to Kafka');
    await this.admin.describeCluster();
    for (const runner of this.runners) runner.assertHealthy();
  }

  /**
   * Stops consumers first (they finish and commit the message in hand), then waits for every
   * publish in hand to be acknowledged or to fail, then stops the producer.
   */
  async close(): Promise<void> {
    await Promise.all(this.runners.map((r) => r.stop()));
    await this.publisher?.close();
    if (this.connected) {
      await this.producer.disconnect();
      await this.admin.disconnect();
      this.connected = false;
    }
  }

  /** For instrumentation: the produce requests a burst of publishes costs. */
  get producerClient(): Producer {
    return this.producer;
  }

  get adminClient(): Admin {
    return this.admin;
  }

  /** For tools that read topics outside a subscription (the DLQ commands). */
  get kafkaClient(): Kafka {
    return this.kafka;
  }
}
