import type { EventBus } from '@aduan/bus';
import { ContractViolation, deadLetterTopic, isTopicName, type TopicName } from '@aduan/contracts';
import { traceContextOf, type Logger } from '@aduan/platform';
import { context } from '@opentelemetry/api';
import type { DataSource } from 'typeorm';

/** How many partitions the outbox is relayed in: the most instances that can relay at once. */
export const OUTBOX_PARTITIONS = 16;
/** Rows relayed per pass: published together, so a backlog leaves in few produce requests. */
const PAGE_ROWS = 500;
/** The advisory-lock class of the outbox partitions (two-key form, apart from any one-key lock). */
export const OUTBOX_LOCK_SPACE = 0x0b0c5;
/**
 * How long a published row is kept: a week to look into what was sent, when and in which trace.
 * Kafka keeps the events themselves; without pruning the table would grow by every event ever sent.
 */
export const PUBLISHED_KEPT_DAYS = 7;
/** Pruned at most this often, a bounded batch per statement so no transaction holds many rows. */
const PRUNE_EVERY_MS = 60 * 60 * 1000;
const PRUNE_ROWS = 10_000;
/** The partition of a row, from its key ($1 is the partition count); never negative. */
const PARTITION_OF_KEY = '((hashtext(key)::bigint % $1::int) + $1::int) % $1::int';

interface OutboxRow {
  id: string;
  topic: string;
  key: string;
  payload: unknown;
  /** The trace context the row was written in; null for rows older than traces. */
  trace: Record<string, string> | null;
}

/**
 * Relays events written in the same transaction as the change they describe. An event is
 * marked published only after Kafka acknowledged it, so a crash republishes rather than
 * loses; consumers key on report id and sequence, so a repeat is harmless.
 *
 * Several instances relay at once without ever reordering one report's events (ADR 0054): the
 * outbox is cut into partitions by a hash of the key, and a pass publishes only the partitions
 * whose advisory lock it holds, in id order. One report's rows are all in one partition and
 * are numbered in the order they commit (its transitions lock the report row), so they reach
 * Kafka in that order whichever instance relays them, and the compacted state topic ends on the
 * latest state. A partition is also the unit a batching publisher would send together.
 * A row that can never be published is moved aside, never retried for ever: every event
 * written after it would otherwise wait behind it.
 */
export class OutboxRelay {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private nextPruneAt = 0;

  constructor(
    private readonly db: DataSource,
    private readonly bus: EventBus,
    private readonly logger: Logger,
    private readonly intervalMs = 1000,
    private readonly partitions = OUTBOX_PARTITIONS,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.kick(), this.intervalMs);
    this.kick();
  }

  /** Ask for a relay pass soon (after a commit); passes never overlap. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((err: unknown) =>
        this.logger.warn('outbox relay pass failed; will retry', { error: String(err) }),
      )
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  async pending(): Promise<number> {
    const [{ count }] = (await this.db.query(
      'SELECT count(*)::int AS count FROM outbox WHERE published_at IS NULL',
    )) as Array<{
      count: number;
    }>;
    return count;
  }

  /** The bytes and the reason on `<topic>.dlq`, as the consumers dead-letter what they cannot handle. */
  private async deadLetter(row: OutboxRow, topic: TopicName, err: ContractViolation): Promise<void> {
    this.logger.error('outbox event breaks its contract; dead-lettered', {
      outboxId: row.id,
      topic,
      error: err.message,
    });
    await this.bus.sendRaw(deadLetterTopic(topic), {
      key: row.key,
      value: JSON.stringify(row.payload),
      headers: {
        dlq_reason: err.message.slice(0, 2000),
        dlq_code: err.code,
        dlq_kind: 'permanent',
        dlq_source: 'status-outbox',
        dlq_outbox_id: row.id,
        dlq_failed_at: new Date().toISOString(),
      },
    });
  }

  /**
   * Publishes a page at once, one key's rows after each other in id order and the keys side by
   * side, so the publisher carries the page in a few produce requests (ADR 0067). A key whose
   * publish fails stops there, its later rows unpublished, so one report's events never reach
   * Kafka out of order; the other keys go on. Answers the rows Kafka acknowledged or that were
   * dead-lettered, and the first failure.
   */
  private async publishPage(rows: OutboxRow[]): Promise<{ done: string[]; failure?: unknown }> {
    const byKey = new Map<string, Array<OutboxRow & { topic: TopicName }>>();
    for (const row of rows) {
      if (!isTopicName(row.topic)) {
        // Left in the table for an operator; the rows behind it still go out.
        this.logger.error('outbox row names an unknown topic; skipped', {
          outboxId: row.id,
          topic: row.topic,
        });
        continue;
      }
      const ofKey = byKey.get(row.key) ?? [];
      ofKey.push(row as OutboxRow & { topic: TopicName });
      byKey.set(row.key, ofKey);
    }
    const done: string[] = [];
    const settled = await Promise.allSettled(
      [...byKey.values()].map(async (ofKey) => {
        for (const row of ofKey) {
          try {
            await context.with(traceContextOf(row.trace ?? {}), () =>
              this.bus.publish(row.topic, row.payload as never),
            );
          } catch (err) {
            if (!(err instanceof ContractViolation)) throw err;
            await this.deadLetter(row, row.topic, err);
          }
          done.push(row.id);
        }
      }),
    );
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    return failed ? { done, failure: failed.reason } : { done };
  }

  private async drain(): Promise<void> {
    for (;;) {
      const { relayed, failure } = await this.db.transaction(async (tx) => {
        // Held until this transaction ends: no other instance relays these partitions meanwhile.
        const owned = (
          (await tx.query(
            `SELECT p FROM generate_series(0, $1::int - 1) AS p WHERE pg_try_advisory_xact_lock($2, p)`,
            [this.partitions, OUTBOX_LOCK_SPACE],
          )) as Array<{ p: number }>
        ).map((r) => r.p);
        if (!owned.length) return { relayed: 0 };
        const rows = (await tx.query(
          `SELECT id, topic, key, payload, trace FROM outbox
            WHERE published_at IS NULL AND ${PARTITION_OF_KEY} = ANY($2::int[])
            ORDER BY id LIMIT $3 FOR UPDATE`,
          [this.partitions, owned, PAGE_ROWS],
        )) as OutboxRow[];
        const { done, failure } = await this.publishPage(rows);
        if (done.length) await tx.query('UPDATE outbox SET published_at = now() WHERE id = ANY($1)', [done]);
        return { relayed: rows.length, failure };
      });
      // Thrown only now: what Kafka acknowledged stays marked, the rest goes out on the next pass.
      if (failure) throw failure;
      if (relayed < PAGE_ROWS) break;
    }
    if (Date.now() >= this.nextPruneAt) {
      this.nextPruneAt = Date.now() + PRUNE_EVERY_MS;
      await this.prunePublished();
    }
  }

  /** Deletes rows published more than PUBLISHED_KEPT_DAYS ago; a row not yet published is never touched. */
  private async prunePublished(): Promise<void> {
    let deleted = 0;
    for (;;) {
      const [, count] = (await this.db.query(
        `DELETE FROM outbox WHERE id IN (
           SELECT id FROM outbox WHERE published_at < now() - make_interval(days => $1) LIMIT $2)`,
        [PUBLISHED_KEPT_DAYS, PRUNE_ROWS],
      )) as [unknown, number];
      deleted += count;
      if (count < PRUNE_ROWS || this.stopped) break;
    }
    if (deleted)
      this.logger.info('published outbox rows pruned', { deleted, olderThanDays: PUBLISHED_KEPT_DAYS });
  }
}
