/**
 * The channel store: one PostgreSQL database shared by channel adapters, opened with the SDK's
 * own migrations (migrations table `channel_sdk_migrations`, apart from any service's own).
 *
 *   const store = await openChannelStore({ url: config.DATABASE_URL, secret: config.TRACKING_CODE_SECRET, logger });
 *   store.cursors        // SourceCursors: resume positions, saved after Kafka acknowledged
 *   store.conversations  // Conversations: open report and thread per (channel, hashed address)
 *   store.replies        // ReplyBook: how each report's citizen is answered, sealed (ADR 0055)
 *   store.reporters      // ReporterBook: the contact behind each reporter reference, sealed (ADR 0058)
 *   health.register('database', () => store.health());
 *   await store.close();
 */
import {
  databaseHealth,
  DEFAULT_COALESCING,
  openDatabase,
  type CoalescingOptions,
  type DatabaseOptions,
} from '@aduan/persistence';
import type { Logger } from '@aduan/platform';
import type { DataSource } from 'typeorm';
import { Conversations } from './conversations';
import { channelStoreMigrations } from './migrations';
import { ReplyBook } from './reply-book';
import { ReporterBook } from './reporter-book';
import { SourceCursors } from './source-cursors';

export const CHANNEL_STORE_MIGRATIONS_TABLE = 'channel_sdk_migrations';

export interface ChannelStoreOptions {
  url: string;
  /** Keys the address hashes; use TRACKING_CODE_SECRET so every adapter hashes alike. */
  secret: string;
  logger?: Logger;
  poolSize?: number;
  startupWaitMs?: number;
  /** How concurrent writes on the intake's path share statements (ADR 0077). */
  coalescing?: CoalescingOptions;
}

export interface ChannelStore {
  db: DataSource;
  /** What the store's writers coalesce with; an adapter's own writers (its rate limits) take the same. */
  coalescing: CoalescingOptions;
  cursors: SourceCursors;
  conversations: Conversations;
  replies: ReplyBook;
  reporters: ReporterBook;
  health(): Promise<void>;
  close(): Promise<void>;
}

export async function openChannelStore(opts: ChannelStoreOptions): Promise<ChannelStore> {
  const db = await openDatabase({
    url: opts.url,
    entities: [],
    migrations: channelStoreMigrations,
    migrationsTableName: CHANNEL_STORE_MIGRATIONS_TABLE,
    logger: opts.logger,
    poolSize: opts.poolSize ?? 5,
    startupWaitMs: opts.startupWaitMs,
  });
  const coalescing = opts.coalescing ?? DEFAULT_COALESCING;
  const conversations = new Conversations(db, opts.secret, coalescing);
  const replies = new ReplyBook(db, opts.secret, coalescing);
  const reporters = new ReporterBook(db, opts.secret, coalescing);
  return {
    db,
    coalescing,
    cursors: new SourceCursors(db),
    conversations,
    replies,
    reporters,
    health: () => databaseHealth(db),
    close: async () => {
      // Writes under way settle (stored or failed) before their pool goes.
      await Promise.all([conversations.drain(), replies.drain(), reporters.drain()]);
      if (db.isInitialized) await db.destroy();
    },
  };
}

/**
 * An adapter's own tables in the channel store's database: the store opens it with the kit's
 * migrations only, so the adapter's run once at its start, on a short-lived connection, under a
 * history table of its own (`<service>_migrations`); it then reads and writes them on `store.db`.
 */
export async function migrateAdapterTables(opts: {
  url: string;
  migrations: DatabaseOptions['migrations'];
  historyTable: string;
  logger?: Logger;
  startupWaitMs?: number;
}): Promise<void> {
  const db = await openDatabase({
    url: opts.url,
    entities: [],
    migrations: opts.migrations,
    migrationsTableName: opts.historyTable,
    logger: opts.logger,
    poolSize: 1,
    startupWaitMs: opts.startupWaitMs,
  });
  await db.destroy();
}
