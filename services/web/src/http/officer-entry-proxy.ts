import type { Logger, Metrics } from '@aduan/platform';
import type { Request, Response } from 'express';
import { optionalUpstream } from './optional-upstream';

/** An entry and its photo upload, nothing else of channel-officer (not its media links, not health). */
const ENTRY_PATH = /^\/v1\/officer\/entries(\/photos)?(\?|$)/;

/**
 * `/api/entries/*` → channel-officer's entry API for the console's New report form; the adapter
 * checks the officer token itself (crm_officer and admin). The Idempotency-Key passes, so a form
 * sent twice stays one report. Without `OFFICER_ENTRY_BASE_URL` the form is told the feature is
 * off rather than meeting a 404.
 */
export function officerEntryProxy(opts: {
  baseUrl: string | undefined;
  timeoutMs: number;
  maxBodyBytes: number;
  logger: Logger;
  metrics: Metrics;
}): (req: Request, res: Response) => void {
  return optionalUpstream({
    ...opts,
    off: {
      code: 'OFFICER_ENTRY_OFF',
      message: 'entering reports is off: OFFICER_ENTRY_BASE_URL is not set on the web service',
    },
    upstream: {
      name: 'channel-officer',
      metric: 'entry',
      allowedPath: ENTRY_PATH,
      served: 'only /api/entries/v1/officer/entries and …/entries/photos are served here',
      requestHeaders: ['idempotency-key'],
    },
  });
}
