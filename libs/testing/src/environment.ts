import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** The broker and database a test run uses: given by the environment, like the services. */
export const testEnv = {
  kafkaBrokers: (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',').map((s) => s.trim()),
  databaseUrl: process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/aduan',
};

export function uniqueSuffix(): string {
  return randomBytes(4).toString('hex');
}

/** A topic namespace of its own, so suites that share the broker never see each other's events. */
export function uniqueTopicPrefix(): string {
  return `test-${uniqueSuffix()}.`;
}

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/**
 * A fresh, empty database on the server of DATABASE_URL for one suite, dropped afterwards.
 * Migrations run against it exactly as they do in production.
 */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const server = new URL(testEnv.databaseUrl);
  const name = `aduan_test_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${uniqueSuffix()}`;
  const admin = new URL(server.toString());
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const url = new URL(server.toString());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const c = new Client({ connectionString: admin.toString() });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
