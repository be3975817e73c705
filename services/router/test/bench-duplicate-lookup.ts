/**
 * What one duplicate lookup costs as open incidents pile up (a flood day), on a database of its
 * own that is dropped afterwards.
 *   npm run bench:router -- [--probes N]
 * Prints µs per lookup (median and p99) at 1k / 10k / 50k open incidents: the lookup on the
 * cell index, the same lookup inside its locked transaction as a decision runs it, and, for
 * comparison, the query before ADR 0063 (every open incident of the category in the window).
 */
import { openDatabase } from '@aduan/persistence';
import { DEFAULT_DUPLICATE_POLICY, type IncidentRecord } from '@aduan/routing';
import { capturedLogger, createTestDatabase } from '@aduan/testing';
import { migrations } from '../src/database/migrations';
import { PgIncidentIndex } from '../src/routing/pg-incident-index';

const LEVELS = [1_000, 10_000, 50_000];
const AT = '2026-11-20T06:00:00+07:00';

function probesArg(): number {
  const i = process.argv.indexOf('--probes');
  const n = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isInteger(n) && n > 0 ? n : 500;
}

function probe(n: number): IncidentRecord {
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    category: 'Jalan',
    point: { lat: -6.36 + Math.random() * 0.27, lon: 106.69 + Math.random() * 0.28 },
    receivedAt: AT,
    textSignature: ['jalan', 'lubang'],
  };
}

async function micros(probes: IncidentRecord[], run: (p: IncidentRecord) => Promise<unknown>) {
  for (const p of probes.slice(0, 20)) await run(p); // warm-up: plans and connections
  const times: number[] = [];
  for (const p of probes) {
    const start = process.hrtime.bigint();
    await run(p);
    times.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  return `${at(0.5).toFixed(0).padStart(7)} ${at(0.99).toFixed(0).padStart(7)}`;
}

async function main(): Promise<void> {
  const count = probesArg();
  const database = await createTestDatabase('router_bench');
  const db = await openDatabase({
    url: database.url,
    entities: [],
    migrations,
    migrationsTableName: 'router_migrations',
    logger: capturedLogger('router').logger,
  });
  try {
    const index = new PgIncidentIndex(db);
    // The index the query before ADR 0063 used, so it runs as it did then.
    await db.query('CREATE INDEX bench_category_idx ON routing_incident (category, received_at) WHERE open');
    const previous = async (p: IncidentRecord) => {
      const d = DEFAULT_DUPLICATE_POLICY.maxDistanceMeters / 111_320;
      await db.query(
        `SELECT * FROM routing_incident
          WHERE open AND category = ANY($1::text[]) AND received_at BETWEEN $2 AND $3
            AND lat BETWEEN $4 AND $5 AND lon BETWEEN $6 AND $7
          ORDER BY received_at LIMIT 200`,
        [
          ['Jalan'],
          '2026-11-18T06:00:00+07:00',
          '2026-11-22T06:00:00+07:00',
          p.point!.lat - d,
          p.point!.lat + d,
          p.point!.lon - d,
          p.point!.lon + d,
        ],
      );
    };
    process.stdout.write(
      `${count} probes per level, µs per lookup (median p99)\n` +
        `${'open incidents'.padEnd(16)} ${'cell index'.padStart(15)} ${'locked, in tx'.padStart(15)} ${'before 0063'.padStart(15)}\n`,
    );
    let stored = 0;
    for (const level of LEVELS) {
      // Open incidents all over Jakarta within the window, a third of them road damage.
      await db.query(
        `INSERT INTO routing_incident (report_id, category, lat, lon, text_terms, received_at)
         SELECT gen_random_uuid(),
                (ARRAY['Jalan', 'Banjir', 'Sampah', 'Pohon', 'Jalan', 'Parkir Liar'])[1 + n % 6],
                -6.36 + random() * 0.27, 106.69 + random() * 0.28, ARRAY['jalan', 'lubang'],
                $1::timestamptz - random() * interval '47 hours'
           FROM generate_series(1, $2::int) AS n`,
        [AT, level - stored],
      );
      stored = level;
      await db.query('ANALYZE routing_incident');
      const probes = Array.from({ length: count }, (_, i) => probe(i));
      const cell = await micros(probes, (p) => index.findDuplicate(p, DEFAULT_DUPLICATE_POLICY));
      const locked = await micros(probes, (p) =>
        index.atomically((scope) => scope.findDuplicate(p, DEFAULT_DUPLICATE_POLICY)),
      );
      const before = await micros(probes, previous);
      process.stdout.write(
        `${String(level).padEnd(16)} ${cell.padStart(15)} ${locked.padStart(15)} ${before.padStart(15)}\n`,
      );
    }
  } finally {
    await db.destroy();
    await database.drop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
