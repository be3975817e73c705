import { enforceLimits, RateLimits } from '@aduan/channel-sdk';
import type { Request, Response } from 'express';
import type { DataSource } from 'typeorm';
import { statusLimitSettings } from '../limit-settings';

/** The key of the limit counters; they hold client IPs for one minute at most. */
const KEY_LABEL = 'aduan-status-public-lookups';

/**
 * Public tracking lookups per client IP (ADR 0056): a flood from one address, or someone trying
 * codes, meets 429 with Retry-After on every instance at once. Codes are ten characters from a
 * 32-letter alphabet, so the limit is about load; it still makes trying codes slower.
 */
export class PublicLookupLimits {
  private readonly limit;

  constructor(
    private readonly limits: RateLimits,
    perMinute = Number(statusLimitSettings.PUBLIC_LOOKUPS_PER_MINUTE.default),
  ) {
    this.limit = { name: 'status:public-lookups', max: perMinute, windowMs: 60_000 };
  }

  static on(db: DataSource, perMinute?: number): PublicLookupLimits {
    return new PublicLookupLimits(new RateLimits(db, KEY_LABEL), perMinute);
  }

  async admit(req: Request, res: Response): Promise<void> {
    await enforceLimits(this.limits, res, [
      { limit: this.limit, key: req.ip ?? req.socket.remoteAddress ?? 'unknown' },
    ]);
  }
}
