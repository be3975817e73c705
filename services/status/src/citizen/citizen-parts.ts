import type { Logger } from '@aduan/platform';
import type { DataSource } from 'typeorm';
import type { Clock } from '../clock';
import type { ReportStore } from '../reports/report-store';
import { CitizenController, SUPPORT } from './citizen.controller';
import { PgRateLimit } from './rate-limit';
import { CitizenReviews } from './reviews';
import { Support } from './support';

interface CitizenConfig {
  REVIEW_WINDOW_DAYS: number;
  SUPPORT_KEY?: string | undefined;
  SUPPORT_RATE_LIMIT: number;
  SUPPORT_RATE_WINDOW_SECONDS: number;
}

/** The review and support pieces of the status service and what its HTTP side needs of them. */
export function citizenParts(
  db: DataSource,
  store: ReportStore,
  clock: Clock,
  config: CitizenConfig,
  logger: Logger,
  afterCommit: () => void,
) {
  const reviews = new CitizenReviews(db, store, clock, config.REVIEW_WINDOW_DAYS, afterCommit, logger);
  const limiter = new PgRateLimit(db, config.SUPPORT_RATE_LIMIT, config.SUPPORT_RATE_WINDOW_SECONDS);
  const support = config.SUPPORT_KEY ? new Support(db, config.SUPPORT_KEY, limiter, clock) : null;
  return {
    reviews,
    controllers: [CitizenController],
    providers: [
      { provide: CitizenReviews, useValue: reviews },
      { provide: SUPPORT, useValue: support },
    ],
  };
}
