import { Client } from 'pg';
import { DataSource, type MixedList, type EntitySchema } from 'typeorm';
import { createLogger, waitForStartup, type Logger } from '@aduan/platform';
import { ensureDatabase } from './ensure-database';
import { isDatabaseStarting } from './transient';

export interface DatabaseOptions {
  url: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  /** Keeps each service's migration history apart when services share one database. */
  migrationsTableName: string;
  logger?: Logger;
  poolSize?: number;
  /** How long to wait for a server that is not up yet (STARTUP_WAIT_SECONDS). */
  startupWaitMs?: number;
}

const DEFAULT_STARTUP_WAIT_MS = 180_000;

/**
 * Opens the database the way every service does: create it if missing, then apply pending
 * migrations. Schema changes happen only through migrations, never `synchronize`.
 */
export async function openDatabase(opts: DatabaseOptions): Promise<DataSource> {
  const target = new URL(opts.url);
  return waitForStartup(() => connect(opts), {
    what: `PostgreSQL at ${target.host}`,
    logger: opts.logger ?? createLogger('persistence'),
    timeoutMs: opts.startupWaitMs ?? DEFAULT_STARTUP_WAIT_MS,
    isRetriable: isDatabaseStarting,
    hint: 'Check that PostgreSQL runs and that DATABASE_URL names it',
  });
}

async function connect(opts: DatabaseOptions): Promise<DataSource> {
  await ensureDatabase(opts.url, opts.logger);
  const dataSource = new DataSource({
    type: 'postgres',
    url: opts.url,
    entities: opts.entities,
    migrations: opts.migrations,
    migrationsTableName: opts.migrationsTableName,
    synchronize: false,
    migrationsRun: false,
    logging: false,
    extra: { max: opts.poolSize ?? 10, connectionTimeoutMillis: 5000 },
  });
  await dataSource.initialize();
  let applied;
  try {
    applied = await withMigrationLock(opts.url, opts.migrationsTableName, () =>
      dataSource.runMigrations({ transaction: 'each' }),
    );
  } catch (err) {
    // The next attempt opens a fresh pool; this one must not linger.
    await dataSource.destroy().catch(() => undefined);
    throw err;
  }
  if (applied.length) opts.logger?.info('applied migrations', { migrations: applied.map((m) => m.name) });
  return dataSource;
}

/**
 * Two instances starting together must not both apply the same migration: a session-level
 * advisory lock, keyed by the migrations table, makes the second wait and then find nothing to do.
 */
async function withMigrationLock<T>(url: string, name: string, fn: () => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [name]);
    return await fn();
  } finally {
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', [name]).catch(() => undefined);
    await client.end();
  }
}

export async function databaseHealth(dataSource: DataSource): Promise<void> {
  await dataSource.query('SELECT 1');
}
