import { clean, FAULTS, FAULT_LABELS, runFaults, type Fault, type FaultResult } from './harness';

/**
 * `npm run test:faults [-- <fault> …]`: every fault (or the ones named) under load, on a
 * PostgreSQL and a Kafka broker of the run's own, then the table; exits 1 unless every count is 0.
 *   FAULTS_RATE           complaints per second on each channel (3)
 *   FAULTS_LOAD_SECONDS   load before each fault and after the component is back (10)
 *   FAULTS_OUTAGE_SECONDS how long the broker or the database stays stopped (10)
 */
async function main(argv: string[]): Promise<number> {
  const faults = argv.length ? (argv as Fault[]) : [...FAULTS];
  const unknown = faults.filter((f) => !FAULTS.includes(f));
  if (unknown.length) {
    console.error(`unknown fault ${unknown.join(', ')}; one of: ${FAULTS.join(', ')}`);
    return 2;
  }
  const setting = (name: string, fallback: number) => {
    const value = Number(process.env[name] ?? fallback);
    if (!(value > 0)) throw new Error(`${name} must be a positive number (got '${process.env[name]}')`);
    return value;
  };
  const results = await runFaults({
    faults,
    rate: setting('FAULTS_RATE', 3),
    loadSeconds: setting('FAULTS_LOAD_SECONDS', 10),
    outageSeconds: setting('FAULTS_OUTAGE_SECONDS', 10),
    progress: (line) => console.log(line),
  });
  console.log(`\n${table(results)}`);
  for (const r of results.filter((r) => r.refused.length || r.missing.length || r.resent.length)) {
    console.log(`\n${FAULT_LABELS[r.fault]}:`);
    const lines = [
      ...r.refused.map((x) => `refused ${x}`),
      ...r.missing.map((x) => `not routed ${x}`),
      ...r.resent.map((x) => `resent ${x}`),
    ];
    for (const line of lines) console.log(`  ${line}`);
  }
  return results.every(clean) ? 0 : 1;
}

function table(results: FaultResult[]): string {
  const head = [
    'fault',
    'accepted',
    'lost',
    'duplicated',
    'dead-lettered',
    'acks missing',
    'acks duplicated',
    'acks resent',
    'recovery s',
  ];
  const rows = results.map((r) => [
    FAULT_LABELS[r.fault],
    ...[r.accepted, r.lost, r.duplicated, r.deadLettered, r.acksMissing, r.acksDuplicated, r.acksResent].map(
      String,
    ),
    Number.isFinite(r.recoverySeconds) ? r.recoverySeconds.toFixed(1) : 'never',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ')} |`;
  return [
    line(head),
    `|${widths.map((w, i) => (i ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`,
    ...rows.map(line),
  ].join('\n');
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
