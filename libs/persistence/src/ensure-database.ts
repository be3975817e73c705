import { Client } from 'pg';
import type { Logger } from '@aduan/platform';

const SAFE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * Creates the database named in the URL when the server does not have it yet, so a fresh
 * machine needs nothing but a running PostgreSQL. The name goes into DDL, hence the strict check.
 */
export async function ensureDatabase(url: string, logger?: Logger): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!SAFE_NAME.test(name))
    throw new Error(`database name "${name}" in DATABASE_URL must be letters, digits and _`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString(), connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (err) {
    throw new Error(
      `cannot reach PostgreSQL at ${target.host} (${err instanceof Error ? err.message : String(err)}); start it or set DATABASE_URL`,
      { cause: err },
    );
  }
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) {
      await client.query(`CREATE DATABASE "${name}"`).catch((err: { code?: string }) => {
        // Another service created it a moment ago: 42P04, or 23505 when both raced in the catalogue.
        if (err.code !== '42P04' && err.code !== '23505') throw err;
      });
      logger?.info('created database', { database: name });
    }
  } finally {
    await client.end();
  }
}
