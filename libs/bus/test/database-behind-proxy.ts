import { createTestDatabase, SwitchableProxy, testEnv, type TestDatabase } from '@aduan/testing';
import { Pool } from 'pg';

/**
 * A database of the suite's own (no suite depends on another having created one), reached by
 * the handlers under test through a door the test can shut, and directly by the test itself.
 */
export interface DatabaseBehindProxy {
  database: TestDatabase;
  proxy: SwitchableProxy;
  /** The handlers' pool: cut while the proxy is down. */
  viaProxy: Pool;
  /** The test's own view of what was stored. */
  direct: Pool;
  close(): Promise<void>;
}

export async function databaseBehindProxy(label: string): Promise<DatabaseBehindProxy> {
  const server = new URL(testEnv.databaseUrl);
  const proxy = new SwitchableProxy(server.hostname, Number(server.port || 5432));
  const database = await createTestDatabase(label);
  const direct = new Pool({ connectionString: database.url, max: 1 });
  await proxy.up();
  const url = new URL(database.url);
  url.hostname = '127.0.0.1';
  url.port = String(proxy.port);
  const viaProxy = new Pool({ connectionString: url.toString(), max: 2, connectionTimeoutMillis: 1_000 });
  viaProxy.on('error', () => undefined); // idle clients cut by the outage
  return {
    database,
    proxy,
    viaProxy,
    direct,
    async close() {
      await viaProxy.end().catch(() => undefined);
      await proxy.down();
      await direct.end();
      await database.drop();
    },
  };
}
