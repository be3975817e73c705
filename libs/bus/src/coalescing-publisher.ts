import {
  CompressionTypes,
  Partitioners,
  type ICustomPartitioner,
  type Message,
  type Producer,
  type RecordMetadata,
} from 'kafkajs';
import { GroupFlush } from '@aduan/platform';

/**
 * How concurrent publishes share produce requests (ADR 0062). The defaults keep a lone publish
 * within a few milliseconds of an unbatched one while a burst of a thousand costs one request.
 */
export interface BatchingOptions {
  /**
   * While publishes come concurrently (the last request carried more than one record), how
   * long a record arriving at an idle publisher waits for others to join its request. A lone
   * publisher's record leaves at once, so one-at-a-time callers pay no wait.
   */
  lingerMs: number;
  /** Records in one produce request at most. */
  maxRecords: number;
  /**
   * Bytes (keys, values and headers, estimated) in one produce request at most: below the
   * broker's `message.max.bytes` (1 MiB by default), which bounds each partition's batch.
   */
  maxBytes: number;
}

export const DEFAULT_BATCHING: BatchingOptions = { lingerMs: 5, maxRecords: 1000, maxBytes: 900_000 };

/** Where the broker stored one record. */
export interface RecordAck {
  partition: number;
  offset: string;
}

interface Pending {
  topic: string;
  message: Message;
  bytes: number;
  resolve: (ack: RecordAck) => void;
  reject: (err: unknown) => void;
}

/** Kafka's per-record overhead in a record batch (lengths, deltas, attributes), rounded up. */
const RECORD_OVERHEAD_BYTES = 32;

function byteLength(v: Buffer | string | null | undefined): number {
  if (v == null) return 0;
  return typeof v === 'string' ? Buffer.byteLength(v) : v.length;
}

function estimateBytes(message: Message): number {
  let bytes = RECORD_OVERHEAD_BYTES + byteLength(message.key) + byteLength(message.value);
  for (const [k, v] of Object.entries(message.headers ?? {}))
    bytes +=
      Buffer.byteLength(k) + (Array.isArray(v) ? v.reduce((n, x) => n + byteLength(x), 0) : byteLength(v));
  return bytes;
}

/** The broker's refusals that concern the records themselves rather than the broker's state. */
const RECORD_REFUSALS = new Set([
  'MESSAGE_TOO_LARGE',
  'RECORD_LIST_TOO_LARGE',
  'INVALID_RECORD',
  'CORRUPT_MESSAGE',
]);

function refusesRecords(err: unknown): boolean {
  for (let e = err as { type?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; depth++) {
    if (typeof e.type === 'string' && RECORD_REFUSALS.has(e.type)) return true;
    e = e.cause as typeof e;
  }
  return false;
}

/**
 * kafkajs' default partitioner (murmur2 of the key, as the Java client), noting which partition
 * each message object was given, so that a record's offset can be told from its partition's
 * base offset in the produce response.
 */
export function recordingPartitioner(): {
  createPartitioner: ICustomPartitioner;
  partitionOf: (message: Message) => number | undefined;
} {
  const given = new WeakMap<Message, number>();
  const createPartitioner: ICustomPartitioner = () => {
    const partition = Partitioners.DefaultPartitioner();
    return (args) => {
      const p = partition(args);
      given.set(args.message, p);
      return p;
    };
  };
  return { createPartitioner, partitionOf: (m) => given.get(m) };
}

/**
 * Coalesces concurrent publishes into one `sendBatch` (kafkajs sends it as one produce request
 * per partition leader, acks from every in-sync replica). One request is in flight at a time,
 * and records leave in the order they were published, so records of one key keep their order.
 * Each caller's promise settles with its own record: resolved with the partition and offset
 * the broker acknowledged for it, or rejected with the error of the request that carried it.
 */
export class CoalescingPublisher {
  private queue: Pending[] = [];
  private queuedBytes = 0;
  private readonly group: GroupFlush;
  private closed = false;

  constructor(
    private readonly producer: Producer,
    private readonly partitionOf: (message: Message) => number | undefined,
    private readonly options: BatchingOptions,
    private readonly onRequest?: (records: number) => void,
  ) {
    this.group = new GroupFlush(
      {
        flush: () => this.drain(),
        pending: () => this.queue.length > 0,
        full: () => this.queue.length >= this.options.maxRecords || this.queuedBytes >= this.options.maxBytes,
      },
      options.lingerMs,
    );
  }

  send(topic: string, message: Message): Promise<RecordAck> {
    if (this.closed) return Promise.reject(new Error('the event bus is closed'));
    return new Promise<RecordAck>((resolve, reject) => {
      const bytes = estimateBytes(message);
      this.queue.push({ topic, message, bytes, resolve, reject });
      this.queuedBytes += bytes;
      this.group.schedule();
    });
  }

  /** Waits until everything published so far has been acknowledged or has failed. */
  async close(): Promise<void> {
    this.closed = true;
    await this.group.settle();
  }

  private async drain(): Promise<void> {
    while (this.queue.length) await this.sendBatch(this.take());
  }

  /** The oldest records that fit one request; always at least one, however large. */
  private take(): Pending[] {
    let n = 0;
    let bytes = 0;
    while (
      n < this.queue.length &&
      n < this.options.maxRecords &&
      (n === 0 || bytes + this.queue[n]!.bytes <= this.options.maxBytes)
    )
      bytes += this.queue[n++]!.bytes;
    this.queuedBytes -= bytes;
    return this.queue.splice(0, n);
  }

  private async sendBatch(batch: Pending[]): Promise<void> {
    const byTopic = new Map<string, Message[]>();
    for (const p of batch) {
      const messages = byTopic.get(p.topic);
      if (messages) messages.push(p.message);
      else byTopic.set(p.topic, [p.message]);
    }
    let results: RecordMetadata[];
    this.group.concurrent = batch.length > 1;
    try {
      this.onRequest?.(batch.length);
      results = await this.producer.sendBatch({
        acks: -1,
        compression: CompressionTypes.None,
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      });
    } catch (err) {
      if (batch.length > 1 && refusesRecords(err)) {
        // One oversized or invalid record must not fail the others: each goes alone, in order.
        for (const p of batch) await this.sendBatch([p]);
        return;
      }
      // Everything still queued was published before this failure was known; written after
      // it, a record could land behind a gap where an earlier one of its key is missing.
      const behind = this.queue.splice(0);
      this.queuedBytes = 0;
      for (const p of [...batch, ...behind]) p.reject(err);
      return;
    }
    const base = new Map(results.map((r) => [`${r.topicName}\0${r.partition}`, r.baseOffset]));
    const nth = new Map<string, bigint>();
    for (const p of batch) {
      // kafkajs appends a partition's records in the order given: the n-th is at base + n.
      const partition = this.partitionOf(p.message) ?? -1;
      const key = `${p.topic}\0${partition}`;
      const n = nth.get(key) ?? 0n;
      nth.set(key, n + 1n);
      const first = base.get(key);
      p.resolve({ partition, offset: first === undefined ? '-1' : (BigInt(first) + n).toString() });
    }
  }
}
