import { parseConsumerPerformance, parseProducerPerformance, payload, RECORD_BYTES } from './ceiling';

describe("reading Kafka's own performance tools", () => {
  it('takes the rate and the p99 from the summary line of ProducerPerformance, not from a progress line', () => {
    const out = [
      '250001 records sent, 50000.2 records/sec (37.58 MB/sec), 120.1 ms avg latency, 300.0 ms max latency.',
      '500000 records sent, 53012.4 records/sec (39.84 MB/sec), 110.52 ms avg latency, 412.00 ms max latency, 98 ms 50th, 250 ms 95th, 330 ms 99th, 400 ms 99.9th.',
    ].join('\n');
    expect(parseProducerPerformance(out)).toEqual({ perSecond: 53012.4, p99Ms: 330 });
    expect(() => parseProducerPerformance('nothing')).toThrow(/no summary/);
  });

  it('takes the fetch rate of ConsumerPerformance, which leaves out the group forming', () => {
    const out = [
      'start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec',
      '2026-12-01 00:00:00:000, 2026-12-01 00:00:05:000, 375.7, 75.1, 500000, 100000.0, 3000, 2000, 187.9, 250000.0',
    ].join('\n');
    expect(parseConsumerPerformance(out)).toBe(250000);
  });

  it('writes records of the size of a real received event, as valid JSON', () => {
    const value = payload();
    expect(value.length).toBe(RECORD_BYTES);
    expect(() => JSON.parse(value.toString('utf8')) as unknown).not.toThrow();
  });
});
