import type { Limit, RateLimits } from '@aduan/channel-sdk';
import type { Response } from 'express';
import type { OfficerPrincipal } from '../auth/tokens';
import { ApiError } from '../officer/api-error';

/**
 * How often officers write to citizens (ADR 0074). Per report: a citizen hears at most a few
 * officer messages an hour however many officers work the report, so a mistake or a quarrel
 * cannot flood their phone. Per officer: a day's honest work stays far below it, a runaway script
 * or a stolen session does not. Counted on every instance alike (PostgreSQL).
 */
export const PER_REPORT: Limit = { name: 'status:officer-messages-per-report', max: 5, windowMs: 3_600_000 };
export const PER_OFFICER: Limit = {
  name: 'status:officer-messages-per-officer',
  max: 60,
  windowMs: 3_600_000,
};

export class MessageLimits {
  constructor(private readonly limits: RateLimits) {}

  /** Counts one message, or refuses with 429 and Retry-After naming which limit was met. */
  async admit(who: OfficerPrincipal, reportId: string, res: Response): Promise<void> {
    for (const [limit, key, what] of [
      [PER_REPORT, reportId, `${PER_REPORT.max} messages an hour to one report's citizen`],
      [PER_OFFICER, who.id, `${PER_OFFICER.max} messages an hour from one officer`],
    ] as const) {
      const verdict = await this.limits.take(limit, key);
      if (verdict.allowed) continue;
      res.setHeader('Retry-After', String(verdict.retryAfterSeconds));
      throw new ApiError(429, 'RATE_LIMITED', `at most ${what}; try again later`, {
        retryAfterSeconds: verdict.retryAfterSeconds,
      });
    }
  }
}
