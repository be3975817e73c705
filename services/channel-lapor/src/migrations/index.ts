import { HeldStatusChanges1796053615825 } from './1796053615825-held-status-changes';

/** channel-lapor's own tables, under `channel_lapor_migrations`, apart from the channel kit's. */
export const laporMigrations = [HeldStatusChanges1796053615825];
export const LAPOR_MIGRATIONS_TABLE = 'channel_lapor_migrations';
