import { openDatabase } from '@aduan/persistence';
import { signOfficerToken } from '@aduan/platform';
import { defaultRules, loadRoutingKnowledge } from '@aduan/routing';
import {
  capturedLogger,
  createTestDatabase,
  testEnv,
  uniqueTopicPrefix,
  type TestDatabase,
} from '@aduan/testing';
import { startRouter, type RouterService } from '../src/app';
import { migrations } from '../src/database/migrations';
import { RuleStore } from '../src/rules/rule-store';

const SECRET = 'router-test-officer-secret-of-32-bytes!';

describe('router rules admin API against real Postgres and Kafka', () => {
  const { logger } = capturedLogger('router');
  let database: TestDatabase;
  let router: RouterService;
  let base: string;
  let adminToken: string;

  beforeAll(async () => {
    database = await createTestDatabase('router_admin');
    router = await startRouter(
      {
        ROUTER_PORT: '0',
        DATABASE_URL: database.url,
        KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
        KAFKA_TOPIC_PREFIX: uniqueTopicPrefix(),
        OFFICER_JWT_SECRET: SECRET,
      },
      logger,
    );
    base = `http://127.0.0.1:${router.port}`;
    adminToken = await signOfficerToken({ sub: 'admin-1', role: 'admin' }, SECRET);
  });

  afterAll(async () => {
    await router?.stop();
    await database?.drop();
  });

  async function call(method: string, path: string, body?: unknown) {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${adminToken}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as { message?: string } };
  }

  it('answers 404, not 500, for a rule version beyond any integer the store holds', async () => {
    const res = await call('GET', '/v1/admin/rules/versions/99999999999');
    expect(res.status).toBe(404);
    expect(res.body.message).toMatch(/version 99999999999 does not exist/);
  });

  it('refuses a preview whose location is not a pair of coordinates, naming the problem', async () => {
    for (const location of [{ lat: 'enam', lon: 106.8 }, { lat: -6.2 }, 'Monas', { lat: 91, lon: 0 }]) {
      const res = await call('POST', '/v1/admin/preview', {
        text: 'jalan berlubang di depan pasar',
        location,
      });
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/location must be \{"lat": number, "lon": number\}/);
    }
    const ok = await call('POST', '/v1/admin/preview', {
      text: 'jalan berlubang',
      location: { lat: -6.1754, lon: 106.8272 },
    });
    expect(ok.status).toBe(201);
  });

  it('stores a new rule version even when the store has a single database connection', async () => {
    const knowledge = loadRoutingKnowledge();
    const db = await openDatabase({
      url: database.url,
      entities: [],
      migrations,
      migrationsTableName: 'router_migrations',
      poolSize: 1,
    });
    try {
      const store = new RuleStore(db, {
        opds: new Set(knowledge.opds.map((o) => o.code)),
        categories: new Set(knowledge.categories.map((c) => c.name)),
      });
      const before = await store.current(0);
      const saved = await store.replace(defaultRules().rules, 'admin-1', { note: 'same rules again' });
      expect(saved.version).toBe(before.version + 1);
      const [latest] = await store.audit(1);
      expect(latest).toMatchObject({
        version: saved.version,
        summary: { added: [], removed: [], changed: [] },
      });
    } finally {
      await db.destroy();
    }
  }, 20_000);
});
