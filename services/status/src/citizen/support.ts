import { createHmac } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Clock } from '../clock';
import type { PgRateLimit, RateDecision } from './rate-limit';

export type SupportOutcome =
  { kind: 'counted' | 'already'; supporters: number } | { kind: 'limited'; retryAfterSeconds: number };

/**
 * Support (dukung) of a public report (ADR 0048). A person is the HMAC of their address and the
 * browser's own random id under SUPPORT_KEY: nothing of either is stored. Support of a report
 * merged into another goes to the master, and a master counts its merged reports' supporters,
 * each person once.
 */
export class Support {
  constructor(
    private readonly db: DataSource,
    private readonly key: string,
    private readonly limiter: PgRateLimit,
    private readonly clock: Clock,
  ) {}

  private person(ip: string, clientId: string): string {
    return createHmac('sha256', this.key).update(`${ip}\n${clientId}`).digest('base64url');
  }

  async support(reportId: string, ip: string, clientId: string): Promise<SupportOutcome> {
    const now = this.clock();
    const rate: RateDecision = await this.limiter.hit(
      `support:${createHmac('sha256', this.key).update(ip).digest('base64url')}`,
      now,
    );
    if (!rate.allowed) return { kind: 'limited', retryAfterSeconds: rate.retryAfterSeconds };
    const master = await this.masterOf(reportId);
    const person = this.person(ip, clientId);
    const [seen] = (await this.db.query(
      `SELECT 1 FROM report_support
        WHERE supporter_hash = $2 AND (report_id = $1 OR report_id IN (SELECT id FROM report WHERE merged_into = $1))`,
      [master, person],
    )) as unknown[];
    const inserted = seen
      ? []
      : ((await this.db.query(
          `INSERT INTO report_support (report_id, supporter_hash, at) VALUES ($1, $2, $3)
           ON CONFLICT DO NOTHING RETURNING report_id`,
          [master, person, now],
        )) as unknown[]);
    return { kind: inserted.length ? 'counted' : 'already', supporters: await this.count(master) };
  }

  /** Supporters of the incident the report belongs to. */
  async supportersOf(reportId: string): Promise<number> {
    return this.count(await this.masterOf(reportId));
  }

  private async count(master: string): Promise<number> {
    const [{ n }] = (await this.db.query(
      `SELECT count(DISTINCT supporter_hash)::int AS n FROM report_support
        WHERE report_id = $1 OR report_id IN (SELECT id FROM report WHERE merged_into = $1)`,
      [master],
    )) as Array<{ n: number }>;
    return n;
  }

  private async masterOf(reportId: string): Promise<string> {
    const [row] = (await this.db.query('SELECT coalesce(merged_into, id) AS id FROM report WHERE id = $1', [
      reportId,
    ])) as Array<{ id: string }>;
    return row?.id ?? reportId;
  }
}
