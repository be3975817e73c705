import { capturedLogger } from '@aduan/testing';
import { statusLimitSettings } from '../src/limit-settings';
import { nextTrackingCode, TestClock, twoInstances } from './harness';

/** The allowance the service starts with when PUBLIC_LOOKUPS_PER_MINUTE is not set. */
const ALLOWANCE = Number(statusLimitSettings.PUBLIC_LOOKUPS_PER_MINUTE.default);

/** Lookups sent at once. */
const ROUND = 50;

/** Waits, when less than 40 s of the current minute are left, for the next one to begin. */
async function untilEarlyInAMinute(): Promise<void> {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 20_000) await new Promise((resolve) => setTimeout(resolve, 60_000 - intoMinute + 200));
}

/**
 * The public tracking endpoint under its per-IP limit, with two instances on one database as
 * two replicas run: the allowance is one, whichever instance answers.
 */
describe('public tracking lookups per client IP, shared by two status instances', () => {
  const { logger } = capturedLogger('status');
  const on = twoInstances('status_public_limits', logger, new TestClock(new Date('2026-01-05T04:00:00Z')));

  it('answers 429 with Retry-After once one IP has used its allowance on either instance', async () => {
    const code = nextTrackingCode();
    const lookup = (base: string, path = '') => fetch(`${base}/v1/public/reports/${code}${path}`);
    // The window is a minute of the database's clock: the allowance is used up early in one, in
    // concurrent rounds as a flood comes, so that no window's edge falls between the lookups.
    await untilEarlyInAMinute();
    const statuses: number[] = [];
    for (let i = 0; i < ALLOWANCE; i += ROUND) {
      const round = Array.from({ length: Math.min(ROUND, ALLOWANCE - i) }, (_, j) =>
        lookup((i + j) % 2 ? on.a.base : on.b.base).then((r) => r.status),
      );
      statuses.push(...(await Promise.all(round)));
    }
    expect(statuses).toHaveLength(ALLOWANCE);
    expect(new Set(statuses)).toEqual(new Set([404]));

    for (const base of [on.a.base, on.b.base]) {
      const refused = await lookup(base);
      expect(refused.status).toBe(429);
      const wait = Number(refused.headers.get('retry-after'));
      expect(wait).toBeGreaterThanOrEqual(1);
      expect(wait).toBeLessThanOrEqual(60);
      expect(((await refused.json()) as { message: string }).message).toMatch(/too many requests/);
    }
    // The live-update stream is the same door.
    expect((await lookup(on.a.base, '/events')).status).toBe(429);
  }, 120_000);
});
