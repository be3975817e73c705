import { finite, percentile, summarize } from './stats';

describe('bench latency summaries', () => {
  it('takes the nearest-rank percentile, so a p99 is a latency some complaint really had', () => {
    const ms = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(ms, 50)).toBe(50);
    expect(percentile(ms, 99)).toBe(99);
    expect(percentile(ms, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it('counts a complaint never seen routed as slower than any seen, not as absent', () => {
    const s = summarize([...Array.from({ length: 98 }, () => 10), Infinity, Infinity]);
    expect(s).toMatchObject({ count: 100, unseen: 2, p50: 10, p95: 10, p99: Infinity });
  });

  it('writes never-seen and empty figures as null in the results file', () => {
    expect(finite(Infinity)).toBeNull();
    expect(finite(NaN)).toBeNull();
    expect(finite(12.345)).toBe(12.3);
    expect(finite(12.345, 0)).toBe(12);
  });
});
