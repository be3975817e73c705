import type { DataSource } from 'typeorm';

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * A fixed-window counter per bucket kept in PostgreSQL, so every instance of the service counts
 * the same hits. Old windows are removed now and then by the same statement's caller.
 */
export class PgRateLimit {
  private lastSweep = 0;

  constructor(
    private readonly db: DataSource,
    private readonly limit: number,
    private readonly windowSeconds: number,
  ) {}

  async hit(bucket: string, now: Date): Promise<RateDecision> {
    const windowMs = this.windowSeconds * 1000;
    const start = new Date(Math.floor(now.getTime() / windowMs) * windowMs);
    const [row] = (await this.db.query(
      `INSERT INTO public_rate_limit (bucket, window_start, hits) VALUES ($1, $2, 1)
       ON CONFLICT (bucket, window_start) DO UPDATE SET hits = public_rate_limit.hits + 1
       RETURNING hits`,
      [bucket, start],
    )) as Array<{ hits: number }>;
    await this.sweep(now, start);
    if (row!.hits <= this.limit) return { allowed: true };
    return {
      allowed: false,
      retryAfterSeconds: Math.max(1, Math.ceil((start.getTime() + windowMs - now.getTime()) / 1000)),
    };
  }

  private async sweep(now: Date, currentWindow: Date): Promise<void> {
    if (now.getTime() - this.lastSweep < this.windowSeconds * 1000) return;
    this.lastSweep = now.getTime();
    await this.db.query('DELETE FROM public_rate_limit WHERE window_start < $1', [currentWindow]);
  }
}
