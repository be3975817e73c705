import type { BenchRun, PhaseResult } from './results';
import { finite, type Summary } from './stats';
import { phaseLabel } from './svg';

/** The headline figures of bench-results.json; the whole run follows under `run`. */
export interface ResultsFile {
  /** Complaints accepted per second at the door: the best phase, normally the closed loop. */
  throughput_per_s: number;
  /** Reports routed and stored per second end to end: the best phase. */
  end_to_end_per_s: number;
  kafka_ceiling_per_s: number;
  ratio_to_kafka: number;
  ratio_end_to_end_to_kafka: number;
  p99_routed_ms_at_500: number | null;
  p99_visible_ms_at_500: number | null;
  /**
   * Accepted complaints Kafka never got, plus (once the drain completed) those never stored.
   * While a backlog remains at the drain's deadline, the rest is counted in `not_drained`.
   */
  lost: number;
  not_drained: number;
  peak_rss_mb: Record<string, number>;
  run: BenchRun;
}

export function atRate(run: BenchRun, perSecond: number): PhaseResult | undefined {
  return run.phases.find((p) => p.mode === 'open' && p.offeredPerSecond === perSecond);
}

export function resultsFile(run: BenchRun): ResultsFile {
  const throughput = Math.max(0, ...run.phases.map((p) => p.acceptedPerSecond));
  const endToEnd = Math.max(0, ...run.phases.map((p) => Math.min(p.routedPerSecond, p.storedPerSecond)));
  const ceiling = run.ceiling.producerPerSecond;
  const at500 = atRate(run, 500);
  const ratio = (v: number) => (ceiling > 0 ? Math.round((v / ceiling) * 1e5) / 1e5 : 0);
  return {
    throughput_per_s: finite(throughput) ?? 0,
    end_to_end_per_s: finite(endToEnd) ?? 0,
    kafka_ceiling_per_s: finite(ceiling) ?? 0,
    ratio_to_kafka: ratio(throughput),
    ratio_end_to_end_to_kafka: ratio(endToEnd),
    p99_routed_ms_at_500: at500 ? finite(at500.routed.p99, 0) : null,
    p99_visible_ms_at_500: at500 ? finite(at500.visible.p99, 0) : null,
    lost: run.drain.missingFromKafka + (run.drain.complete ? run.drain.notStored : 0),
    not_drained: run.drain.complete ? 0 : run.drain.notStored,
    peak_rss_mb: Object.fromEntries(
      Object.entries(run.processes).map(([name, p]) => [name, finite(p.peakRssMb, 0) ?? 0]),
    ),
    run,
  };
}

/** CPU columns beside the services': what else shares the cores. */
const SHARED_CPU = ['load generator', 'kafka', 'postgresql', 'whole machine'];

const int = (v: number) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : 'n/a');
const pct = (v: number) => `${(v * 100).toFixed(v < 0.01 ? 3 : 1)} %`;

/** Milliseconds as people read them; a percentile that never arrived says so. */
export function ms(v: number): string {
  if (Number.isNaN(v)) return '–';
  if (!Number.isFinite(v)) return 'not seen';
  return v >= 10_000
    ? `${(v / 1000).toFixed(0)} s`
    : v >= 1000
      ? `${(v / 1000).toFixed(1)} s`
      : `${v.toFixed(0)} ms`;
}

function latencies(s: Summary): string {
  const unseen = s.unseen ? ` (${s.unseen} of ${s.count} not seen)` : '';
  return `${ms(s.p50)} / ${ms(s.p95)} / ${ms(s.p99)}${unseen}`;
}

function table(head: string[], rows: string[][]): string {
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map((_, i) => (i ? '---:' : '---')).join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

/**
 * Not measured by `npm run bench`: the client comparison runs on its own (it takes the broker
 * for a minute at full load), so its figures are the ones ADR 0072 recorded, kept here so that
 * regenerating this page does not drop them. Update both together after a new comparison.
 */
const KAFKA_CLIENTS_SECTION = [
  '## Kafka clients compared (ADR 0072; not measured by this run)',
  '',
  'From `npm run bench:clients` on 2026-12-01, this 2-core box shared',
  'with other work (load average 2 to 12), Kafka 4.4.0, 3 partitions, 788 B values, acks=all, idempotent,',
  'one request in flight; medians of six runs, lowest and highest in brackets. kafkajs is the producer libs/bus',
  'builds; @confluentinc/kafka-javascript did not install from the npm registry alone and is not measured.',
  '',
  table(
    ['records/s', 'kafkajs 2.2.4 as libs/bus', '@platformatic/kafka 1.35.0'],
    [
      ['one send per record, 1 caller', '1,932 (422–2,824)', '3,473 (1,750–4,474)'],
      ['one send per record, 32 callers', '1,956 (960–3,238)', '13 acknowledged; 95–99 % of sends rejected'],
      ['one send per record, 256 callers', '2,504 (502–3,371)', '80 acknowledged; 89–96 % of sends rejected'],
      ['500 records per send, 1 caller', '40,950 (10,761–56,725)', '101,973 (41,803–159,201)'],
      ['consumer, 100,000 records from the start', '205,494 (125,609–269,724)', '96,086 (43,572–125,556)'],
    ],
  ),
  '',
  'The rejections are the broker refusing out-of-order sequence numbers, and most of the sends that client did',
  'acknowledge at 32 or 256 callers were not on the log: its idempotent producer does not take concurrent sends.',
  'kafkajs lost nothing. libs/bus keeps kafkajs (ADR 0072).',
];

/**
 * Not measured by `npm run bench`: `npm run bench:door` before and after ADR 0077, kept here so
 * that regenerating this page does not drop them. Update both together after a new comparison.
 */
/** Where the end-to-end limit moved, and what the profiles said (kept by hand, as the door's). */
export const LIMIT_SECTION = [
  '## Where the end-to-end limit is (2026-12-01; not measured by this run)',
  '',
  'Set-based status transitions (ADR 0067, addendum of 2026-12-01) took the store out of the way: its probe',
  'stores 2,394 reports/s (412 before), and this bench went from 63 routed and stored per second end to end',
  '(`4797a43`) to 298–324 /s in six full runs from `d2cabaf` to `76a7ee3` on the idle box.',
  '',
  'From an offered 200/s on, the whole machine is busy: 2.0 of its 2 cores (the CPU table above). Each service',
  'then gets about a quarter of a core and PostgreSQL about 0.6, whatever the phase, so what bounds the',
  'pipeline is the CPU a complaint costs across every process: about 6 ms (2 cores at about 320 /s). At an',
  'offered 500/s that is about 1.9 ms in PostgreSQL, 2 ms in the WhatsApp adapter per WhatsApp message, and',
  '0.6–0.8 ms each in channel-jaki, the router and status per complaint; the load generator takes its',
  'quarter core too. The broker is not the limit (0.08 cores, ceiling above).',
  '',
  'Top self time under the same load (`npm run bench -- --cpu-prof` at `2565181`; start-up included):',
  '',
  '| rank | router | status | channel-jaki | channel-whatsapp |',
  '|---|---|---|---|---|',
  '| 1 | (idle) 31.9 % | (idle) 25.6 % | (idle) 42.4 % | (idle) 28.5 % |',
  '| 2 | writev 8.0 % | writev 18.5 % | writev 8.4 % | writev 17.9 % |',
  '| 3 | (garbage collector) 5.8 % | (garbage collector) 6.2 % | (garbage collector) 4.2 % | writeBuffer 4.2 % |',
  '| 4 | category `match` 5.7 % | writeBuffer 5.5 % | writeBuffer 3.8 % | (garbage collector) 4.2 % |',
  '| 5 | writeBuffer 5.1 % | FastBuffer 2.9 % | (program) 1.4 % | runMicrotasks 1.8 % |',
  '| 6 | naive Bayes `posterior` 2.7 % | runMicrotasks 1.8 % | runMicrotasks 1.4 % | (program) 1.5 % |',
  '',
  'The idle share is each service waiting for its share of a busy machine and for PostgreSQL. `writev` is',
  'socket writes: statements, produce requests, HTTP answers, and the log. In that run the router wrote',
  '31,000 lines (11 MB) and the WhatsApp adapter 14,000, one per complaint or message at info level; they',
  'are at debug now (`76a7ee3`; the counters count them). The same run also showed the citizen-message',
  'followers query reading every reporter row (a hash join the planner chose for an id list), and the',
  'router pruning its recent decisions after every batch; both fixed in `2565181`. With the machine',
  'saturated, the run after these changes was within the spread of the runs before them.',
  '',
  'So the 5,000 /s target needs about 0.4 ms of CPU per complaint across the whole stack on these 2 cores,',
  "about fifteen times less than now. PostgreSQL's share is about 25 row writes per complaint (4 outbox rows,",
  "each written then marked, 3 writes of the report, 2 transitions, SLA clocks, the door's idempotency key",
  'written twice, conversation and reporter books, sealed reporter and key): fewer writes per complaint is',
  'where the next factor lies, not the bus.',
  '',
  'Memory: from `a028f5d` the bench runs the services compiled by `npm run build`, as the image does (ADR 0079).',
  'Peak RSS over a whole run fell from 368–483 MB (from TypeScript, at `76a7ee3`) to 251–351 MB. From `4118374`',
  'the image bounds the heap (`--max-old-space-size=96 --max-semi-space-size=8`) and the services load',
  'whatsapp-web.js, sharp, exifr and the trace exporter only when they use them (ADR 0081): the peaks were',
  '141–174 MB in three full runs, against 258–332 MB unbounded on the same day; with the bound, requests',
  'must be admitted at arrival (ADR 0069 addendum), or the door piles them up until its heap runs out.',
  'The heap under load holds 31–49 MB after a full collection; what keeps the',
  'peaks near 150 MB is the floor: bare node is 39 MB resident, and a compiled service with its modules',
  'loaded, before it starts, 95–107 MB (NestJS, TypeORM and pg, kafkajs, prom-client, OpenTelemetry, ajv).',
  '',
  "The HTTP framework (Express, its router and body parsers, Nest's own layer) is 9.9 % of channel-jaki's busy",
  "CPU in that profile and 3.8 % of the WhatsApp adapter's: moving to Fastify would save well under 1 % of what",
  'a complaint costs end to end, so the door stays on Express (ADR 0080).',
];

export const DOOR_SECTION = [
  '## The door alone, before and after ADR 0077 (2026-12-01; not measured by this run)',
  '',
  '`npm run bench:door -- --limits`: channel-jaki alone (its own database and topics), 64 JAKI clients in a closed',
  'loop for 15 s after a 3 s warm-up, both rate limits counting every request (allowances it never reaches).',
  'Before is `9f19cb6` (a dozen round trips of its own per request), after is `285b376` (the writes coalesced),',
  'run in interleaved pairs on this 2-core box while other engineers ran test suites on it: one-minute load',
  'average 7 to 24. At that load every process gets a small share of a core, so the accepted rate swings with',
  'the share it got; the transactions per complaint and the complaints per CPU-second of the service do not',
  '(computed from the rounded figures each run printed).',
  '',
  table(
    ['channel-jaki, 64 clients', 'before (`9f19cb6`)', 'after (`285b376`)'],
    [
      ['PostgreSQL transactions per accepted complaint (5 runs / 6 runs)', '5.02–5.07', '0.46–0.64'],
      [
        'accepted/s, seven interleaved pairs',
        '33, 14, 14, 72, 37, 50, 69 (median 37)',
        '36, 40, 15, 57, 44, 43, 81 (median 43)',
      ],
      [
        'accepted per CPU-second of channel-jaki',
        '127, 108, 117, 153, 142, 156, 182 (median 142)',
        '225, 222, 214, 285, 244, 287, 300 (median 244)',
      ],
      ['cores busy', '0.12–0.47', '0.07–0.27'],
      ['intake p50, median of the pairs', '1.7 s', '1.3 s'],
      ['intake p99, median of the pairs', '2.8 s', '3.2 s'],
      ['resident memory at the end (RSS)', '213–242 MB', '210–231 MB'],
    ],
  ),
  '',
  'Top self time of channel-jaki over a whole profiled run (`--cpu-prof`: start-up included, hence the module',
  'compilation in `wrapSafe`). Before, each request wrote an info line to stdout (`writev`, `writeUtf8String`);',
  'after, the socket writes left are the HTTP answers and the shared statements.',
  '',
  table(
    ['rank', 'before (40/s, load 12)', 'after (52/s, load 19)'],
    [
      ['1', '(idle) 16.9 %', '(idle) 9.9 %'],
      ['2', 'writev 12.1 %', 'writev 7.1 %'],
      ['3', 'wrapSafe (module compilation) 8.2 %', 'wrapSafe (module compilation) 4.7 %'],
      ['4', '(garbage collector) 2.4 %', '(garbage collector) 3.2 %'],
      ['5', 'writeBuffer 2.1 %', 'runMicrotasks 2.5 %'],
      ['6', 'runMicrotasks 1.9 %', 'writeBuffer 2.3 %'],
      ['7', 'internalModuleStat 1.7 %', 'express handle 1.6 %'],
      ['8', 'writeUtf8String 1.5 %', 'Hmac 1.4 %'],
      ['9', '(program) 1.1 %', 'http _storeHeader 1.3 %'],
      ['10', 'Hmac 0.9 %', '(program) 1.2 %'],
    ],
  ),
  '',
  'The shares do not add up to 100 %: the rest is spread thin over hundreds of functions. The tail got no better',
  'at this load: a request that arrives while a flush runs waits for it and then for its own, at each of its four',
  'shared waits, and a starved process stretches each of them. The load generator shares the cores too (0.21',
  "cores beside the service's 0.28 at load 9, each about its share): at such a load the rate is bounded by the",
  "shares both get more than by the door's own CPU per complaint, 40 % less now. On an idle box the door",
  "is to be measured again by a full `npm run bench`, whose closed-loop phase is this one's with the rest of the",
  'pipeline running beside it.',
];

/** docs/BENCHMARKS.md: the machine, every figure of the run, the chart, and how to read them. */
export function benchmarksMarkdown(run: BenchRun, chartPath: string): string {
  const r = resultsFile(run);
  const c = run.ceiling;
  const m = run.machine;
  const services = Object.keys(run.processes);
  const lines = [
    '# Benchmarks',
    '',
    `Written by \`npm run bench${run.mode === 'quick' ? ' -- --quick' : ''}\` on ${run.finishedAt.slice(0, 16).replace('T', ' ')} UTC`,
    `with the services started from commit \`${run.commit}\`${run.dirty ? ' (and uncommitted changes under libs/ or services/)' : ''}; run it again to replace this page.`,
    'The figures are from one run; compare runs on the same machine only.',
    '',
    '## Machine',
    '',
    `- ${m.cores} cores (${m.cpuModel}), ${m.memoryGb.toFixed(1)} GB RAM, Linux ${m.kernel}, Node ${m.node}`,
    `- everything on this box: Kafka ${c.kafkaVersion} (one broker), PostgreSQL, the services (${run.services.join(', ')}) and the load generator`,
    `- the services ran ${run.entry === 'source' ? 'from TypeScript through @swc-node/register, as `npm start` runs them' : `compiled by \`npm run build\` (dist/), as the container image runs them`}${run.nodeOptions ? `, with \`NODE_OPTIONS=${run.nodeOptions}\`` : ''}`,
    `- one-minute load average ${m.loadAverage.before.toFixed(1)} when the run started, ${m.loadAverage.after.toFixed(1)} when it ended`,
    run.sharedMachine ? `- **shared**: ${run.sharedMachine}` : '- nothing else was running',
    '',
    '## Headline',
    '',
    table(
      ['figure', 'value'],
      [
        ['accepted at the door (best phase)', `${int(r.throughput_per_s)} /s`],
        ['routed and stored end to end (best phase)', `${int(r.end_to_end_per_s)} /s`],
        ['Kafka producer ceiling (same broker, same run)', `${int(r.kafka_ceiling_per_s)} /s`],
        ['door as a share of the ceiling', pct(r.ratio_to_kafka)],
        ['end to end as a share of the ceiling', pct(r.ratio_end_to_end_to_kafka)],
        ['p99 intake → routed at an offered 500/s', ms(r.p99_routed_ms_at_500 ?? Infinity)],
        ['p99 intake → public API at an offered 500/s', ms(r.p99_visible_ms_at_500 ?? Infinity)],
        ['lost', String(r.lost)],
        ['still in the backlog when the drain ended', String(r.not_drained)],
      ],
    ),
    '',
    '## Load phases',
    '',
    `Complaints from \`libs/routing/test/fixtures/routing-samples.public.json\` (texts, JAKI category hints and`,
    `Jakarta points, each point moved by up to ~300 m), ${Math.round(run.whatsappShare * 100)} % through the signed WhatsApp Cloud webhook, the rest`,
    'through the JAKI API. Open loop sends at the offered rate whatever the answers; closed loop keeps a fixed number',
    'of clients busy. Latencies are p50 / p95 / p99 from the request being sent; "public API" polls',
    '`GET /v1/public/reports/{trackingCode}` for a sample of JAKI complaints until it shows the routing.',
    'A complaint not seen by the end of the run counts as slower than every one seen.',
    '',
    table(
      [
        'phase',
        's',
        'sent',
        'accepted/s',
        'refused',
        'intake',
        'intake → routed',
        'intake → public API',
        'routed/s',
        'stored/s',
      ],
      run.phases.map((p) => [
        phaseLabel(p),
        String(p.durationSeconds),
        int(p.sent),
        int(p.acceptedPerSecond),
        Object.entries(p.refused)
          .map(([status, n]) => `${n}× ${status === '0' ? 'no answer' : status}`)
          .join(', ') || '0',
        latencies(p.intake),
        latencies(p.routed),
        latencies(p.visible),
        int(p.routedPerSecond),
        int(p.storedPerSecond),
      ]),
    ),
    '',
    `![latency against offered load](${chartPath})`,
    '',
    '## CPU per phase (cores busy)',
    '',
    `kafka is the broker's JVM, postgresql every PostgreSQL process, whole machine all of the ${run.machine.cores}`,
    'cores as /proc/stat counts them (the rest of the columns, and anything else that ran).',
    '',
    table(
      ['phase', ...services, ...SHARED_CPU],
      [
        ...(run.atRestCpuCores ? [{ label: 'at rest (nothing sent)', cores: run.atRestCpuCores }] : []),
        ...run.phases.map((p) => ({ label: phaseLabel(p), cores: p.cpuCores })),
      ].map(({ label, cores }) => [
        label,
        ...[...services, ...SHARED_CPU].map((s) => (cores[s] ?? NaN).toFixed(2)),
      ]),
    ),
    '',
    '## Memory and CPU per service (whole run)',
    '',
    table(
      ['service', 'peak RSS (VmHWM)', 'CPU seconds'],
      services.map((s) => [
        s,
        `${int(run.processes[s]!.peakRssMb)} MB`,
        run.processes[s]!.cpuSeconds.toFixed(1),
      ]),
    ),
    '',
    '## Ceiling, measured in the same run on the same broker and database',
    '',
    table(
      ['probe', 'records/s'],
      [
        [
          `Kafka ${c.kafkaVersion} ProducerPerformance, ${c.recordBytes} B, acks=all, idempotent (p99 ${ms(c.producerP99Ms)})`,
          int(c.producerPerSecond),
        ],
        [`Kafka ${c.kafkaVersion} ConsumerPerformance`, int(c.consumerPerSecond)],
        ['kafkajs as libs/bus configures it, one record per send()', int(c.kafkajsSinglePerSecond)],
        [
          `kafkajs as libs/bus configures it, ${c.kafkajsBatch} records per send()`,
          int(c.kafkajsBatchedPerSecond),
        ],
        [
          `PostgreSQL, ${c.postgresBatch}-row INSERTs, one transaction per batch`,
          int(c.postgresBatchedRowsPerSecond),
        ],
        ['PostgreSQL, one INSERT per transaction', int(c.postgresSingleRowsPerSecond)],
      ],
    ),
    '',
    ...LIMIT_SECTION,
    '',
    ...KAFKA_CLIENTS_SECTION,
    '',
    ...DOOR_SECTION,
    '',
    '## After the load',
    '',
    `${int(run.drain.accepted)} complaints accepted; ${run.drain.missingFromKafka} of them missing from`,
    `\`aduan.complaint.received.v1\`; after a drain of ${run.drain.seconds.toFixed(0)} s, ${run.drain.notRouted} not routed and`,
    `${run.drain.notStored} not stored${run.drain.complete ? ' (the drain completed)' : ' (the drain ended at its deadline with a backlog: these are late, not known lost)'}.`,
    '',
  ];
  return lines.join('\n');
}
