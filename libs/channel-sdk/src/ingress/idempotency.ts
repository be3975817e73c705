/**
 * API ingress idempotency: a client that retries a request with the same Idempotency-Key gets
 * the first answer; the same key with another body is a conflict (409), never a silent merge.
 * Keys live in PostgreSQL, per client, so every instance and every restart agrees. The claims
 * and the answers of concurrent requests share one statement each (ADR 0077).
 */
import { createHash } from 'node:crypto';
import { CoalescingWriter, DEFAULT_COALESCING, type CoalescingOptions } from '@aduan/persistence';
import type { DataSource } from 'typeorm';

export class IdempotencyConflict extends Error {
  constructor(key: string) {
    super(`Idempotency-Key "${key}" was used before with a different request body`);
    this.name = 'IdempotencyConflict';
  }
}

export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

export function bodyHash(body: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(body ?? null))
    .digest('hex');
}

interface Claim {
  client: string;
  key: string;
  hash: string;
}

interface Stored {
  body_hash: string;
  response: unknown;
}

function compare(a: Claim, b: Claim): number {
  return a.client < b.client ? -1 : a.client > b.client ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

export class IdempotencyKeys {
  private readonly claims: CoalescingWriter<Claim, Stored>;
  private readonly answers: CoalescingWriter<Claim & { response: string }>;

  constructor(
    private readonly db: DataSource,
    coalescing: CoalescingOptions = DEFAULT_COALESCING,
  ) {
    this.claims = new CoalescingWriter((batch) => this.claim(batch), coalescing);
    this.answers = new CoalescingWriter((batch) => this.answer(batch), coalescing);
  }

  /** Resolves once every claim and answer so far is stored or has failed (before the pool closes). */
  async drain(): Promise<void> {
    await this.claims.drain();
    await this.answers.drain();
  }

  /**
   * Runs `compute` for the first request under (client, key) and stores its answer; a repeat
   * with the same body returns the stored answer. `compute` must itself be safe to run twice
   * (two instances may race on the very first request): the runner's intakes are, since report
   * ids derive from the key.
   */
  async once<T>(client: string, key: string, body: unknown, compute: () => Promise<T>): Promise<T> {
    const hash = bodyHash(body);
    const stored = await this.claims.write({ client, key, hash });
    if (stored.body_hash !== hash) throw new IdempotencyConflict(key);
    if (stored.response !== null) return stored.response as T;
    const response = await compute();
    await this.answers.write({ client, key, hash, response: JSON.stringify(response) });
    return response;
  }

  /**
   * A key's row as it stands after the batch: the first body claims a key, every later one (in
   * the batch or after it) is compared with it. A row can be written once per statement, so a
   * key claimed twice in one batch is written once and both are answered its row.
   */
  private async claim(batch: readonly Claim[]): Promise<Stored[]> {
    const first = new Map<string, Claim>();
    for (const c of batch)
      if (!first.has(`${c.client}\u0000${c.key}`)) first.set(`${c.client}\u0000${c.key}`, c);
    const rows = [...first.values()].sort(compare);
    const stored = (await this.db.query(
      `INSERT INTO channel_idempotency (client, key, body_hash)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
       ON CONFLICT (client, key) DO UPDATE SET client = channel_idempotency.client
       RETURNING client, key, body_hash, response`,
      [rows.map((c) => c.client), rows.map((c) => c.key), rows.map((c) => c.hash)],
    )) as Array<Stored & { client: string; key: string }>;
    const byKey = new Map(stored.map((r) => [`${r.client}\u0000${r.key}`, r]));
    return batch.map((c) => {
      const row = byKey.get(`${c.client}\u0000${c.key}`);
      if (!row) throw new Error('an idempotency key was neither inserted nor found');
      return { body_hash: row.body_hash, response: row.response };
    });
  }

  private async answer(batch: ReadonlyArray<Claim & { response: string }>): Promise<void[]> {
    const rows = [...batch].sort(compare);
    await this.db.query(
      `UPDATE channel_idempotency c SET response = v.response
         FROM unnest($1::text[], $2::text[], $3::jsonb[]) AS v(client, key, response)
        WHERE c.client = v.client AND c.key = v.key AND c.response IS NULL`,
      [rows.map((c) => c.client), rows.map((c) => c.key), rows.map((c) => c.response)],
    );
    return batch.map(() => undefined);
  }
}
