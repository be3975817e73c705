import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { Client } from 'pg';
import type { Sent } from './load';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Watched {
  sent: Sent;
  visibleAt?: number;
  nextPollAt: number;
}

/**
 * What became of each complaint: its received event (for a WhatsApp message, the report it
 * became), its routed event, whether the public API shows it, and how many reports the status
 * store holds routed over time.
 */
export class Observer {
  /** reportId → when its received event was read. */
  readonly received = new Map<string, number>();
  /** WhatsApp message id → the report it became. */
  private readonly byMessage = new Map<string, { reportId: string; trackingCode: string }>();
  readonly routedAt = new Map<string, number>();
  /** (time, reports with their routing stored) every couple of seconds. */
  readonly stored: Array<[number, number]> = [];
  private readonly watched: Watched[] = [];
  private consumer?: Consumer;
  private db?: Client;
  private running = true;
  private loops: Promise<void>[] = [];

  constructor(
    private readonly o: {
      brokers: string[];
      topicPrefix: string;
      databaseUrl: string;
      statusUrl: string;
      runId: string;
    },
  ) {}

  async start(): Promise<void> {
    const kafka = new Kafka({
      clientId: 'aduan-bench-observer',
      brokers: this.o.brokers,
      logLevel: logLevel.NOTHING,
    });
    this.consumer = kafka.consumer({ groupId: `bench-observer-${this.o.runId}`, maxWaitTimeInMs: 50 });
    await this.consumer.connect();
    const received = `${this.o.topicPrefix}aduan.complaint.received.v1`;
    const routed = `${this.o.topicPrefix}aduan.complaint.routed.v1`;
    await this.consumer.subscribe({ topics: [received, routed], fromBeginning: true });
    await this.consumer.run({
      eachBatch: async ({ batch }) => {
        const now = Date.now();
        for (const m of batch.messages) {
          const event = JSON.parse(m.value?.toString('utf8') ?? '{}') as {
            reportId?: string;
            trackingCode?: string;
            source?: { id?: string };
          };
          if (!event.reportId) continue;
          if (batch.topic === routed) {
            if (!this.routedAt.has(event.reportId)) this.routedAt.set(event.reportId, now);
          } else {
            if (!this.received.has(event.reportId)) this.received.set(event.reportId, now);
            if (event.source?.id?.startsWith('wamid.bench'))
              this.byMessage.set(event.source.id, {
                reportId: event.reportId,
                trackingCode: event.trackingCode ?? '',
              });
          }
        }
      },
    });
    this.db = new Client({ connectionString: this.o.databaseUrl });
    await this.db.connect();
    this.loops = [this.countStored(), this.poll()];
  }

  /** Fills in the report ids of WhatsApp messages once their received events are read. */
  resolve(sent: readonly Sent[]): void {
    for (const s of sent)
      if (s.messageId && !s.reportId) {
        const found = this.byMessage.get(s.messageId);
        if (found) Object.assign(s, found);
      }
  }

  /** Watch this complaint on the public API until it shows the routing. */
  watch(sent: Sent): void {
    this.watched.push({ sent, nextPollAt: sent.answeredAt ?? Date.now() });
  }

  visibleAt(sent: Sent): number | undefined {
    return this.watched.find((w) => w.sent === sent)?.visibleAt;
  }

  watchedOf(phase: number): Watched[] {
    return this.watched.filter((w) => w.sent.phase === phase);
  }

  async storedNow(): Promise<number> {
    const { rows } = await this.db!.query<{ n: string }>(
      'SELECT count(*) AS n FROM report WHERE routing IS NOT NULL',
    );
    return Number(rows[0]!.n);
  }

  private async countStored(): Promise<void> {
    while (this.running) {
      try {
        this.stored.push([Date.now(), await this.storedNow()]);
      } catch {
        /* the table appears with the status service's migrations; until then nothing is stored */
      }
      await sleep(1000);
    }
  }

  /** Stored reports per second between two moments, from the nearest readings. */
  storedRate(from: number, to: number): number {
    const at = (t: number) =>
      this.stored.reduce((best, s) => (Math.abs(s[0] - t) < Math.abs(best[0] - t) ? s : best), [0, 0]);
    const [t0, n0] = at(from);
    const [t1, n1] = at(to);
    return t1 > t0 ? ((n1 - n0) * 1000) / (t1 - t0) : 0;
  }

  /**
   * Polls each watched complaint, quickly while it is young and every second once it is old,
   * so that a backlog in the status service is not made worse by the watching.
   */
  private async poll(): Promise<void> {
    while (this.running) {
      const now = Date.now();
      const due = this.watched
        .filter((w) => !w.visibleAt && w.nextPollAt <= now && w.sent.trackingCode)
        .slice(0, 20);
      await Promise.all(
        due.map(async (w) => {
          const age = Date.now() - w.sent.sentAt;
          w.nextPollAt = Date.now() + Math.min(1000, Math.max(50, age / 10));
          try {
            const res = await fetch(`${this.o.statusUrl}/v1/public/reports/${w.sent.trackingCode}`, {
              signal: AbortSignal.timeout(10_000),
            });
            if (res.status === 200) {
              const body = (await res.json()) as { routing?: string | null };
              if (body.routing) w.visibleAt = Date.now();
            } else await res.arrayBuffer();
          } catch {
            /* not answered this time: polled again */
          }
        }),
      );
      await sleep(due.length ? 0 : 20);
    }
  }

  /** Reports among `ids` whose routing the status store holds. */
  async storedOf(ids: string[]): Promise<Set<string>> {
    const { rows } = await this.db!.query<{ id: string }>(
      'SELECT id::text AS id FROM report WHERE routing IS NOT NULL AND id::text = ANY($1)',
      [ids],
    );
    return new Set(rows.map((r) => r.id));
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
    await this.consumer?.disconnect().catch(() => undefined);
    await this.db?.end().catch(() => undefined);
  }
}
