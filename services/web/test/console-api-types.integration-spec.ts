import { readFileSync, writeFileSync } from 'node:fs';
import { createTestDatabase, testEnv, uniqueTopicPrefix, type TestDatabase } from '@aduan/testing';
import { API_TYPES, typesFor } from './support/api-types';
import { startStatusProcess, type StatusProcess } from './support/status-process';

/**
 * The console is typed from the status service's OpenAPI document. When the officer API changes,
 * this fails until the committed types are regenerated: `UPDATE_API_TYPES=1 node tools/dev/test.js
 * services/web/test/console-api-types.integration-spec.ts` rewrites them.
 */
describe("the console's API types", () => {
  let database: TestDatabase;
  let status: StatusProcess;

  beforeAll(async () => {
    database = await createTestDatabase('web_openapi');
    status = await startStatusProcess({
      DATABASE_URL: database.url,
      KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: uniqueTopicPrefix(),
      OFFICER_BOOTSTRAP_ADMIN: 'admin:admin-password-for-tests',
      LOG_LEVEL: 'warn',
    });
  });
  afterAll(async () => {
    await status?.stop();
    await database?.drop();
  });

  it("are what openapi-typescript makes of the status service's officer OpenAPI document", async () => {
    const res = await fetch(`${status.url}/v1/officer/openapi.json`);
    expect(res.status).toBe(200);
    const fresh = typesFor(await res.text());
    if (process.env['UPDATE_API_TYPES']) writeFileSync(API_TYPES, fresh);
    const committed = readFileSync(API_TYPES, 'utf8');
    // A plain equality would print two whole files; the first differing line says enough.
    const a = fresh.split('\n');
    const b = committed.split('\n');
    const at = a.findIndex((line, i) => line !== b[i]);
    expect(
      at === -1 && a.length === b.length
        ? 'up to date'
        : `stale from line ${at + 1}: the document says "${a[at] ?? ''}", the file "${b[at] ?? ''}" (set UPDATE_API_TYPES=1 to regenerate)`,
    ).toBe('up to date');
  });
});
