import { RateLimits, TooManyRequests } from '@aduan/channel-sdk';
import { createTestDatabase, type TestDatabase } from '@aduan/testing';
import { DataSource } from 'typeorm';
import { hashPassword, verifyPassword } from '../src/auth/password';
import { ConstantCost, SignInThrottle } from '../src/officer/sign-in-throttle';

const OPTIONS = { attemptsPerIp: 8, attemptWindowMs: 60_000, maxFailures: 3, lockoutMs: 60_000 };

/** Two status instances: two pools on one database, each with its own throttle. */
async function instance(
  url: string,
): Promise<{ db: DataSource; throttle: SignInThrottle; cost: ConstantCost }> {
  const db = await new DataSource({ type: 'postgres', url, extra: { max: 3 } }).initialize();
  const cost = new ConstantCost(0);
  return { db, cost, throttle: new SignInThrottle(new RateLimits(db, 'sign-in-test'), OPTIONS, cost) };
}

describe('sign-in throttle on a real PostgreSQL, shared by two status instances', () => {
  let database: TestDatabase;
  let a: Awaited<ReturnType<typeof instance>>;
  let b: Awaited<ReturnType<typeof instance>>;
  let account: { username: string; passwordHash: string };
  let checks = 0;

  const signIn = async (
    on: typeof a,
    username: string,
    password: string,
    clientIp = '198.51.100.1',
    headers: Record<string, string> = {},
  ) =>
    on.throttle.verify(
      { username, clientIp, res: { setHeader: (n: string, v: string) => (headers[n] = v) } },
      async () => (username === account.username ? account : null),
      (found) => {
        checks++;
        return verifyPassword(password, found.passwordHash);
      },
    );

  beforeAll(async () => {
    database = await createTestDatabase('sign_in_throttle');
    [a, b] = await Promise.all([instance(database.url), instance(database.url)]);
    account = { username: 'petugas.budi', passwordHash: await hashPassword('benar-sekali-123') };
  });

  afterAll(async () => {
    await a?.db.destroy();
    await b?.db.destroy();
    await database?.drop();
  });

  it('locks an account after repeated wrong passwords, on every instance, without running scrypt', async () => {
    expect(await signIn(a, 'petugas.budi', 'salah-1', '198.51.100.1')).toBeNull();
    expect(await signIn(b, 'petugas.budi', 'salah-2', '198.51.100.2')).toBeNull();
    expect(await signIn(a, 'Petugas.Budi', 'salah-3', '198.51.100.3')).toBeNull();
    const before = checks;
    const headers: Record<string, string> = {};
    const refused = await signIn(b, 'petugas.budi', 'benar-sekali-123', '198.51.100.4', headers).catch(
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(TooManyRequests);
    expect((refused as TooManyRequests).getStatus()).toBe(429);
    expect(Number(headers['Retry-After'])).toBeGreaterThanOrEqual(1);
    expect(Number(headers['Retry-After'])).toBeLessThanOrEqual(60);
    expect(checks).toBe(before); // the right password was not even checked
  });

  it('answers an unknown username after as long as a real check, without one', async () => {
    const t0 = performance.now();
    await verifyPassword('x', account.passwordHash);
    const checkMs = performance.now() - t0;
    const cost = new ConstantCost(checkMs);
    const throttle = new SignInThrottle(new RateLimits(a.db, 'sign-in-test'), OPTIONS, cost);
    const before = checks;
    const started = performance.now();
    const answer = await throttle.verify(
      { username: 'tidak.ada', clientIp: '198.51.100.9', res: { setHeader: () => undefined } },
      async () => null,
      async () => {
        checks++;
        return true;
      },
    );
    expect(answer).toBeNull();
    expect(checks).toBe(before);
    expect(performance.now() - started).toBeGreaterThanOrEqual(checkMs * 0.95);
  });

  it('refuses a client IP over its attempts with 429, counted across instances', async () => {
    const ip = '203.0.113.50';
    for (let i = 0; i < OPTIONS.attemptsPerIp; i++)
      expect(await signIn(i % 2 ? a : b, `tebak.${i}`, 'apa-saja', ip)).toBeNull();
    const headers: Record<string, string> = {};
    const refused = await signIn(a, 'tebak.lagi', 'apa-saja', ip, headers).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TooManyRequests);
    expect(headers['Retry-After']).toMatch(/^\d+$/);
  });

  it('signs in with the right password, and a success clears the earlier failures', async () => {
    const other = { username: 'petugas.siti', passwordHash: await hashPassword('rahasia-siti-456') };
    account = other;
    expect(await signIn(a, 'petugas.siti', 'salah', '192.0.2.1')).toBeNull();
    expect(await signIn(b, 'petugas.siti', 'salah', '192.0.2.2')).toBeNull();
    expect(await signIn(a, 'petugas.siti', 'rahasia-siti-456', '192.0.2.3')).toBe(other);
    // Three more failures are needed for a lockout again, not one.
    expect(await signIn(b, 'petugas.siti', 'salah', '192.0.2.4')).toBeNull();
    expect(await signIn(a, 'petugas.siti', 'rahasia-siti-456', '192.0.2.5')).toBe(other);
  });
});
