/**
 * API ingress idempotency: a client that retries a request with the same Idempotency-Key gets
 * the first answer; the same key with another body is a conflict (409), never a silent merge.
 * Keys live in PostgreSQL, per client, so every instance and every restart agrees.
 */
import { createHash } from 'node:crypto';
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

export class IdempotencyKeys {
  constructor(private readonly db: DataSource) {}

  /**
   * Runs `compute` for the first request under (client, key) and stores its answer; a repeat
   * with the same body returns the stored answer. `compute` must itself be safe to run twice
   * (two instances may race on the very first request): the runner's intakes are, since report
   * ids derive from the key.
   */
  async once<T>(client: string, key: string, body: unknown, compute: () => Promise<T>): Promise<T> {
    const hash = bodyHash(body);
    const rows = (await this.db.query(
      `INSERT INTO channel_idempotency (client, key, body_hash) VALUES ($1, $2, $3)
       ON CONFLICT (client, key) DO UPDATE SET client = channel_idempotency.client
       RETURNING body_hash, response`,
      [client, key, hash],
    )) as Array<{ body_hash: string; response: T | null }>;
    const stored = rows[0]!;
    if (stored.body_hash !== hash) throw new IdempotencyConflict(key);
    if (stored.response !== null) return stored.response;
    const response = await compute();
    await this.db.query(`UPDATE channel_idempotency SET response = $3 WHERE client = $1 AND key = $2`, [
      client,
      key,
      JSON.stringify(response),
    ]);
    return response;
  }
}
