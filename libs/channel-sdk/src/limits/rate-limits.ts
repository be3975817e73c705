/**
 * Rate limits shared by every instance of a service: the counters live in PostgreSQL, so two
 * adapters (or two status services) behind one load balancer count the same requests once.
 *
 * A limit is a fixed window: at most `max` hits per `windowMs` for one key (an API key, a client
 * IP, a phone number, an e-mail sender, a username). One statement counts the hit and answers the
 * new total, so concurrent requests never both slip under the limit. Windows are cut on the
 * database's clock, which every instance shares. A fixed window lets a client through at most
 * twice `max` across a window's edge; for abuse control that is enough and costs one row per key.
 * A limit that must add up exactly (a lockout) opens its window at the key's first hit instead.
 *
 * Keys are stored as an HMAC under a server secret: the table holds phone numbers and e-mail
 * addresses of nobody (the same reason as the conversation table's address hashes).
 *
 * Concurrent hits share one statement (ADR 0077): the hits of one key in a batch are added at
 * once, and each is answered the count it would have had counted alone, in the order they came,
 * so exactly `max` of any number of concurrent hits get through, on one instance or on several.
 */
import { createHmac } from 'node:crypto';
import { CoalescingWriter, DEFAULT_COALESCING, type CoalescingOptions } from '@aduan/persistence';
import type { DataSource } from 'typeorm';

export interface Limit {
  /** What is limited, e.g. `jaki:api-key` or `status:sign-in-ip`; part of the counter's key. */
  name: string;
  max: number;
  windowMs: number;
  /**
   * The window opens at the key's first hit instead of on the clock's grid. A lockout needs
   * this: on a grid, failures either side of an edge land in two windows and never add up to
   * `max`, so a guesser who times them gets twice the tries and a real lockout may not happen.
   */
  fromFirstHit?: boolean;
}

export interface LimitVerdict {
  allowed: boolean;
  /** Hits counted in the current window, this one included. */
  hits: number;
  /** Whole seconds until the window ends (for Retry-After); at least 1. */
  retryAfterSeconds: number;
}

/** The table is created on first use, so any service on any database can use limits without a migration. */
const CREATE = `
  CREATE TABLE IF NOT EXISTS rate_limit_window (
    limit_name text NOT NULL,
    key_hash text NOT NULL,
    window_start timestamptz NOT NULL,
    window_end timestamptz NOT NULL,
    hits integer NOT NULL,
    PRIMARY KEY (limit_name, key_hash, window_start)
  );
  CREATE INDEX IF NOT EXISTS rate_limit_window_end ON rate_limit_window (window_end);`;

/** Any constant: two instances creating the table at once take turns. */
const CREATE_LOCK = 0x61647561; // 'adua'

/** Old windows are swept now and then by whichever instance counts a hit. */
const SWEEP_EVERY = 500;

interface Hit {
  limit: Limit;
  keyHash: string;
  cost: number;
}

export class RateLimits {
  private ready: Promise<void> | undefined;
  private sinceSweep = 0;
  private readonly hits: CoalescingWriter<Hit, LimitVerdict>;

  constructor(
    private readonly db: DataSource,
    private readonly secret: string,
    coalescing: CoalescingOptions = DEFAULT_COALESCING,
  ) {
    this.hits = new CoalescingWriter((batch) => this.count(batch), coalescing);
  }

  /** Counts one hit (or `cost`) against the key and answers whether it is within the limit. */
  async take(limit: Limit, key: string, cost = 1): Promise<LimitVerdict> {
    await this.ensureTable();
    const verdict = await this.hits.write({ limit, keyHash: this.keyHash(limit, key), cost });
    if (++this.sinceSweep >= SWEEP_EVERY) {
      this.sinceSweep = 0;
      await this.sweep();
    }
    return verdict;
  }

  /**
   * One statement for a batch of hits: one row per counter, its hits added up. Rows are
   * written in key order, so two instances' batches lock shared counters in one order and
   * wait for each other rather than deadlock.
   */
  private async count(batch: readonly Hit[]): Promise<LimitVerdict[]> {
    // A limit's name stands for its window too: one counter per name and key.
    const counterOf = (hit: Hit) => `${hit.limit.name}\u0000${hit.keyHash}`;
    const counters = new Map<string, { hit: Hit; cost: number }>();
    for (const hit of batch) {
      const id = counterOf(hit);
      const counter = counters.get(id);
      if (counter) counter.cost += hit.cost;
      else counters.set(id, { hit, cost: hit.cost });
    }
    const ordered = [...counters].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    // A window from the first hit is one row per key (start at the epoch) that opens anew,
    // hits and end, once it has ended; a row on the grid has ended only when its start differs.
    const rows = (await this.db.query(
      `WITH v AS (
         SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::int[], $5::bool[]) WITH ORDINALITY
           AS v(limit_name, key_hash, window_ms, cost, from_first, n)),
       w AS (
         SELECT v.*, CASE WHEN from_first THEN clock_timestamp()
           ELSE to_timestamp(floor(extract(epoch FROM clock_timestamp()) * 1000 / window_ms) * window_ms / 1000.0) END AS opens
           FROM v)
       INSERT INTO rate_limit_window AS r (limit_name, key_hash, window_start, window_end, hits)
       SELECT limit_name, key_hash, CASE WHEN from_first THEN to_timestamp(0) ELSE opens END,
              opens + make_interval(secs => window_ms / 1000.0), cost FROM w ORDER BY n
       ON CONFLICT (limit_name, key_hash, window_start) DO UPDATE SET
         hits = CASE WHEN r.window_end <= clock_timestamp() THEN EXCLUDED.hits ELSE r.hits + EXCLUDED.hits END,
         window_end = CASE WHEN r.window_end <= clock_timestamp() THEN EXCLUDED.window_end ELSE r.window_end END
       RETURNING limit_name, key_hash, hits, extract(epoch FROM (window_end - clock_timestamp())) AS left_s`,
      [
        ordered.map(([, c]) => c.hit.limit.name),
        ordered.map(([, c]) => c.hit.keyHash),
        ordered.map(([, c]) => c.hit.limit.windowMs),
        ordered.map(([, c]) => c.cost),
        ordered.map(([, c]) => c.hit.limit.fromFirstHit === true),
      ],
    )) as Array<{ limit_name: string; key_hash: string; hits: number; left_s: string | number }>;
    const totals = new Map(rows.map((r) => [`${r.limit_name}\u0000${r.key_hash}`, r]));
    // Each hit is answered the count it would have had alone: the counter before this batch
    // plus the batch's hits of that counter up to and including it.
    const before = new Map<string, number>();
    return batch.map((hit) => {
      const id = counterOf(hit);
      const row = totals.get(id);
      if (!row) throw new Error(`the counter of ${hit.limit.name} was not written`);
      const sum = counters.get(id)!.cost;
      const counted = (before.get(id) ?? Number(row.hits) - sum) + hit.cost;
      before.set(id, counted);
      return verdict(hit.limit, counted, Number(row.left_s));
    });
  }

  /** The current window's count without adding to it (a lockout asks before it counts). */
  async peek(limit: Limit, key: string): Promise<LimitVerdict> {
    await this.ensureTable();
    const rows = (await this.db.query(
      `SELECT hits, extract(epoch FROM (window_end - clock_timestamp())) AS left_s FROM rate_limit_window
        WHERE limit_name = $1 AND key_hash = $2 AND window_end > clock_timestamp()
        ORDER BY window_start DESC LIMIT 1`,
      [limit.name, this.keyHash(limit, key)],
    )) as Array<{ hits: number; left_s: string | number }>;
    const row = rows[0];
    return row ? verdict(limit, Number(row.hits), Number(row.left_s)) : verdict(limit, 0, 0);
  }

  /** Forgets the key's count (a successful sign-in clears its failures). */
  async reset(limit: Limit, key: string): Promise<void> {
    await this.ensureTable();
    await this.db.query(`DELETE FROM rate_limit_window WHERE limit_name = $1 AND key_hash = $2`, [
      limit.name,
      this.keyHash(limit, key),
    ]);
  }

  /** Drops windows that have ended. */
  async sweep(): Promise<void> {
    await this.db.query(`DELETE FROM rate_limit_window WHERE window_end < clock_timestamp()`);
  }

  private keyHash(limit: Limit, key: string): string {
    return createHmac('sha256', this.secret)
      .update(`${limit.name}\u0000${key.trim().toLowerCase()}`)
      .digest('hex');
  }

  private ensureTable(): Promise<void> {
    this.ready ??= this.db
      .transaction(async (tx) => {
        await tx.query('SELECT pg_advisory_xact_lock($1)', [CREATE_LOCK]);
        await tx.query(CREATE);
      })
      .catch((err: unknown) => {
        this.ready = undefined; // the database was away: try again with the next hit
        throw err;
      });
    return this.ready;
  }
}

function verdict(limit: Limit, hits: number, leftSeconds: number): LimitVerdict {
  return {
    allowed: hits <= limit.max,
    hits,
    retryAfterSeconds: Math.max(1, Math.ceil(leftSeconds)),
  };
}
