import { benchmarksMarkdown, ms, resultsFile } from './report';
import type { BenchRun, PhaseResult } from './results';
import { summarize } from './stats';
import { latencyChart } from './svg';

function phase(over: Partial<PhaseResult>): PhaseResult {
  return {
    name: 'open',
    mode: 'open',
    offeredPerSecond: 50,
    clients: null,
    durationSeconds: 10,
    sent: 500,
    accepted: 500,
    refused: {},
    acceptedPerSecond: 50,
    routedPerSecond: 50,
    storedPerSecond: 40,
    intake: summarize([5, 6, 7]),
    routed: summarize([20, 30, 40]),
    visible: summarize([100, 200, 300]),
    cpuCores: { router: 0.2, 'load generator': 0.1 },
    ...over,
  };
}

export function sampleRun(over: Partial<BenchRun> = {}): BenchRun {
  return {
    mode: 'quick',
    startedAt: '2026-12-01T00:00:00.000Z',
    finishedAt: '2026-12-01T00:03:00.000Z',
    commit: 'abc1234',
    dirty: false,
    machine: {
      cores: 2,
      cpuModel: 'Test CPU',
      memoryGb: 23.5,
      node: 'v20.20.2',
      kernel: '6.1.0',
      loadAverage: { before: 1.5, after: 3.25 },
    },
    sharedMachine: null,
    services: ['router'],
    whatsappShare: 0.25,
    phases: [
      phase({}),
      phase({
        offeredPerSecond: 500,
        acceptedPerSecond: 480,
        storedPerSecond: 35,
        refused: { '503': 3, '0': 1 },
        routed: summarize([150, 180, 1234]),
        visible: summarize([400, 900, Infinity]),
      }),
      phase({
        mode: 'closed',
        offeredPerSecond: null,
        clients: 64,
        acceptedPerSecond: 700,
        routedPerSecond: 90,
        storedPerSecond: 60,
      }),
    ],
    ceiling: {
      kafkaVersion: '4.4.0',
      recordBytes: 788,
      producerPerSecond: 70_000,
      producerP99Ms: 12,
      consumerPerSecond: 250_000,
      kafkajsSinglePerSecond: 1600,
      kafkajsBatchedPerSecond: 18_000,
      kafkajsBatch: 500,
      postgresBatchedRowsPerSecond: 40_000,
      postgresBatch: 500,
      postgresSingleRowsPerSecond: 900,
    },
    drain: { accepted: 1480, missingFromKafka: 0, notRouted: 0, notStored: 0, complete: true, seconds: 12 },
    processes: { router: { peakRssMb: 201.4, cpuSeconds: 33.3 } },
    ...over,
  };
}

describe('bench results file', () => {
  it('carries the headline figures the issue asks for, against the ceiling of the same run', () => {
    const r = resultsFile(sampleRun());
    expect(r).toMatchObject({
      throughput_per_s: 700,
      end_to_end_per_s: 60,
      kafka_ceiling_per_s: 70_000,
      ratio_to_kafka: 0.01,
      p99_routed_ms_at_500: 1234,
      lost: 0,
      not_drained: 0,
      peak_rss_mb: { router: 201 },
    });
    expect(r.ratio_end_to_end_to_kafka).toBeCloseTo(60 / 70_000, 5);
  });

  it('writes a p99 that never arrived as null, not as a number that looks measured', () => {
    expect(resultsFile(sampleRun()).p99_visible_ms_at_500).toBeNull();
    expect(JSON.parse(JSON.stringify(resultsFile(sampleRun())))).toHaveProperty(
      'p99_visible_ms_at_500',
      null,
    );
  });

  it('counts a complaint Kafka never got as lost at once, and a backlog only as late until the drain completes', () => {
    const late = resultsFile(
      sampleRun({
        drain: {
          accepted: 100,
          missingFromKafka: 1,
          notRouted: 5,
          notStored: 9,
          complete: false,
          seconds: 60,
        },
      }),
    );
    expect(late).toMatchObject({ lost: 1, not_drained: 9 });
    const done = resultsFile(
      sampleRun({
        drain: {
          accepted: 100,
          missingFromKafka: 1,
          notRouted: 0,
          notStored: 2,
          complete: true,
          seconds: 60,
        },
      }),
    );
    expect(done).toMatchObject({ lost: 3, not_drained: 0 });
  });
});

describe('docs/BENCHMARKS.md', () => {
  const doc = benchmarksMarkdown(
    sampleRun({ sharedMachine: 'other test suites ran meanwhile', dirty: true }),
    'bench-latency.svg',
  );

  it('names the machine, the commit and that the box was shared', () => {
    expect(doc).toContain('2 cores (Test CPU), 23.5 GB RAM');
    expect(doc).toContain('Node v20.20.2');
    expect(doc).toContain('load average 1.5 when the run started, 3.3 when it ended');
    expect(doc).toContain('started from commit `abc1234` (and uncommitted changes under libs/ or services/)');
    expect(doc).toContain('**shared**: other test suites ran meanwhile');
  });

  it('lists every phase with its latencies, refusals and the chart', () => {
    expect(doc).toContain('| 500/s | 10 | 500 | 480 | 1× no answer, 3× 503 |');
    expect(doc).toContain('180 ms / 1.2 s / 1.2 s');
    expect(doc).toContain('not seen (1 of 3 not seen)');
    expect(doc).toContain('| max (64 clients) |');
    expect(doc).toContain('![latency against offered load](bench-latency.svg)');
  });

  it('gives the ceiling and our share of it', () => {
    expect(doc).toContain('ProducerPerformance, 788 B, acks=all, idempotent (p99 12 ms) | 70,000 |');
    expect(doc).toContain('| door as a share of the ceiling | 1.0 % |');
    expect(doc).toContain('| router | 201 MB | 33.3 |');
  });

  it('keeps the Kafka client comparison, marked as not from this run', () => {
    expect(doc).toContain('## Kafka clients compared (ADR 0072; not measured by this run)');
    expect(doc).toContain('## The door alone, before and after ADR 0077');
    expect(doc).toContain(
      '| 500 records per send, 1 caller | 40,950 (10,761–56,725) | 101,973 (41,803–159,201) |',
    );
  });

  it('formats durations the way they are read', () => {
    expect(ms(12.4)).toBe('12 ms');
    expect(ms(1500)).toBe('1.5 s');
    expect(ms(33_000)).toBe('33 s');
    expect(ms(Infinity)).toBe('not seen');
  });
});

describe('latency chart', () => {
  const svg = latencyChart(sampleRun().phases, 'latency against offered load');

  it('is a standalone SVG with one label per phase and a legend per stage', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    for (const label of ['50/s', '500/s', 'max (64 clients)', 'intake → routed', 'intake → public API'])
      expect(svg).toContain(`>${label}<`);
  });

  it('draws p50 and p99 lines for each stage and marks a percentile never seen in a band of its own', () => {
    expect(svg.match(/<polyline /g)).toHaveLength(6);
    expect(svg).toContain('>not seen<');
    expect(svg).toMatch(/<circle [^>]*fill="#fff"/);
    expect(svg).not.toMatch(/NaN|Infinity/);
  });

  it('puts a slower latency higher on the chart', () => {
    const cy = (s: string) => [...s.matchAll(/<circle cx="[\d.]+" cy="([\d.]+)"/g)].map((m) => Number(m[1]));
    const [intakeP50] = cy(svg);
    const routedP50 = cy(svg)[6];
    expect(routedP50).toBeLessThan(intakeP50!);
  });
});
