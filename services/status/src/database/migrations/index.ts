import { ReportStore1764300000000 } from './1764300000000-report-store';

/** In the order they apply. */
export const migrations = [ReportStore1764300000000];
