import type { EventBus } from '@aduan/bus';
import { isTopicName } from '@aduan/contracts';
import type { Logger } from '@aduan/platform';
import type { DataSource } from 'typeorm';

interface OutboxRow {
  id: string;
  topic: string;
  payload: unknown;
}

/**
 * Relays events written in the same transaction as the change they describe. An event is
 * marked published only after Kafka acknowledged it, so a crash republishes rather than
 * loses; consumers key on report id and sequence, so a repeat is harmless. Row locks with
 * SKIP LOCKED let several instances relay without sending the same row twice at once.
 */
export class OutboxRelay {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(
    private readonly db: DataSource,
    private readonly bus: EventBus,
    private readonly logger: Logger,
    private readonly intervalMs = 1000,
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
      .catch((err: unknown) => this.logger.warn('outbox relay pass failed; will retry', { error: String(err) }))
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
    const [{ count }] = (await this.db.query('SELECT count(*)::int AS count FROM outbox WHERE published_at IS NULL')) as Array<{
      count: number;
    }>;
    return count;
  }

  private async drain(): Promise<void> {
    for (;;) {
      const relayed = await this.db.transaction(async (tx) => {
        const rows = (await tx.query(
          'SELECT id, topic, payload FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT 100 FOR UPDATE SKIP LOCKED',
        )) as OutboxRow[];
        for (const row of rows) {
          if (!isTopicName(row.topic)) throw new Error(`outbox row ${row.id} names unknown topic ${row.topic}`);
          await this.bus.publish(row.topic, row.payload as never);
        }
        if (rows.length) await tx.query('UPDATE outbox SET published_at = now() WHERE id = ANY($1)', [rows.map((r) => r.id)]);
        return rows.length;
      });
      if (relayed < 100) return;
    }
  }
}
