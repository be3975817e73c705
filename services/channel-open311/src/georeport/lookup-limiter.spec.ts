import { LookupLimiter } from './lookup-limiter';

describe('lookups by id per client and minute', () => {
  it('allows up to the limit in a minute, counts a list by its ids, and says how long to wait', () => {
    let now = 1_000_000;
    const limiter = new LookupLimiter(10, () => now);
    expect(limiter.take('198.51.100.7', 8)).toBeNull();
    expect(limiter.take('198.51.100.7', 3)).toBe(60);
    expect(limiter.take('198.51.100.7', 2)).toBeNull();
    expect(limiter.take('198.51.100.7', 1)).toBe(60);
    // Another client has its own allowance.
    expect(limiter.take('203.0.113.9', 10)).toBeNull();
    now += 45_000;
    expect(limiter.take('198.51.100.7', 1)).toBe(15);
    now += 15_000;
    expect(limiter.take('198.51.100.7', 10)).toBeNull();
  });
});
