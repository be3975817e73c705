import { createTestDatabase, type TestDatabase } from '@aduan/testing';
import { DataSource } from 'typeorm';
import { enforceLimits, RateLimits, TooManyRequests, type Limit } from '../src';

const SECRET = 'limits-test-secret';

/** Two pools on one database: what two instances of a service behind one load balancer are. */
async function instance(url: string): Promise<DataSource> {
  const db = new DataSource({ type: 'postgres', url, extra: { max: 4 } });
  return db.initialize();
}

describe('RateLimits on a real PostgreSQL, shared by two instances', () => {
  let database: TestDatabase;
  let a: DataSource;
  let b: DataSource;
  let limitsA: RateLimits;
  let limitsB: RateLimits;

  beforeAll(async () => {
    database = await createTestDatabase('rate_limits');
    [a, b] = await Promise.all([instance(database.url), instance(database.url)]);
    limitsA = new RateLimits(a, SECRET);
    limitsB = new RateLimits(b, SECRET);
  });

  afterAll(async () => {
    await a?.destroy();
    await b?.destroy();
    await database?.drop();
  });

  it('lets exactly `max` of many concurrent hits through, whichever instance counts them', async () => {
    const limit: Limit = { name: 'test:concurrent', max: 10, windowMs: 60_000 };
    const verdicts = await Promise.all(
      Array.from({ length: 30 }, (_, i) => (i % 2 ? limitsA : limitsB).take(limit, '+6281234567890')),
    );
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(10);
    expect(verdicts.map((v) => v.hits).sort((x, y) => x - y)).toEqual(
      Array.from({ length: 30 }, (_, i) => i + 1),
    );
    const refused = verdicts.find((v) => !v.allowed)!;
    expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(60);
    // Another key has its own allowance.
    expect((await limitsA.take(limit, '+6289999999999')).allowed).toBe(true);
  });

  it('counts again once the window has passed', async () => {
    const limit: Limit = { name: 'test:window', max: 1, windowMs: 1_000 };
    await limitsA.take(limit, 'k');
    const over = await limitsB.take(limit, 'k');
    expect(over.allowed).toBe(false);
    await new Promise((r) => setTimeout(r, over.retryAfterSeconds * 1000 + 50));
    expect((await limitsB.take(limit, 'k')).allowed).toBe(true);
  });

  it('adds up hits either side of a clock edge when the window opens at the first hit', async () => {
    const windowMs = 2_000;
    const onGrid: Limit = { name: 'test:grid', max: 1, windowMs };
    const fromFirst: Limit = { name: 'test:first', max: 1, windowMs, fromFirstHit: true };
    // Both clocks are this machine's: hit 400 ms before a 2 s edge, then 400 ms after it.
    await new Promise((r) => setTimeout(r, (windowMs - 400 - (Date.now() % windowMs) + windowMs) % windowMs));
    await Promise.all([limitsA.take(onGrid, 'k'), limitsA.take(fromFirst, 'k')]);
    await new Promise((r) => setTimeout(r, 800));
    expect(await limitsB.take(onGrid, 'k')).toMatchObject({ allowed: true, hits: 1 });
    const second = await limitsB.take(fromFirst, 'k');
    expect(second).toMatchObject({ allowed: false, hits: 2 });
    expect(await limitsA.peek(fromFirst, 'k')).toMatchObject({ allowed: false, hits: 2 });
    // The window ends a window's length after its first hit, and then counts from one again.
    await new Promise((r) => setTimeout(r, second.retryAfterSeconds * 1000 + 50));
    expect(await limitsA.peek(fromFirst, 'k')).toMatchObject({ hits: 0 });
    expect(await limitsA.take(fromFirst, 'k')).toMatchObject({ allowed: true, hits: 1 });
  });

  it('peeks without counting and forgets a key on reset', async () => {
    const limit: Limit = { name: 'test:reset', max: 2, windowMs: 60_000 };
    await limitsA.take(limit, 'user');
    await limitsA.take(limit, 'user');
    await limitsA.take(limit, 'user');
    expect(await limitsB.peek(limit, 'user')).toMatchObject({ allowed: false, hits: 3 });
    expect(await limitsB.peek(limit, 'user')).toMatchObject({ hits: 3 });
    await limitsB.reset(limit, 'user');
    expect(await limitsA.peek(limit, 'user')).toMatchObject({ allowed: true, hits: 0 });
  });

  it('stores no key in clear', async () => {
    await limitsA.take({ name: 'test:clear', max: 5, windowMs: 60_000 }, 'warga@example.id');
    const rows = (await a.query(`SELECT * FROM rate_limit_window`)) as unknown[];
    expect(JSON.stringify(rows)).not.toContain('warga');
  });

  it('answers 429 with Retry-After once any of the limits is exceeded', async () => {
    const perKey: Limit = { name: 'test:api-key', max: 100, windowMs: 60_000 };
    const perIp: Limit = { name: 'test:ip', max: 2, windowMs: 30_000 };
    const headers: Record<string, string> = {};
    const res = { setHeader: (n: string, v: string) => (headers[n] = v) };
    const keys = [
      { limit: perKey, key: 'app-key-1' },
      { limit: perIp, key: '203.0.113.9' },
    ];
    await enforceLimits(limitsA, res, keys);
    await enforceLimits(limitsB, res, keys);
    expect(headers['Retry-After']).toBeUndefined();
    const refused = await enforceLimits(limitsA, res, keys).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TooManyRequests);
    expect((refused as TooManyRequests).getStatus()).toBe(429);
    expect((refused as TooManyRequests).message).toContain('test:ip');
    expect(Number(headers['Retry-After'])).toBeGreaterThanOrEqual(1);
    expect(Number(headers['Retry-After'])).toBeLessThanOrEqual(30);
  });
});
