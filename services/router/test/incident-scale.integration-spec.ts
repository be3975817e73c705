import { openDatabase } from '@aduan/persistence';
import {
  createRoutingContext,
  DEFAULT_DUPLICATE_POLICY,
  proposeRouting,
  type IncidentRecord,
  type RoutingContext,
  type RoutingDecision,
  type RoutingInput,
} from '@aduan/routing';
import { capturedLogger, createTestDatabase, type TestDatabase } from '@aduan/testing';
import type { DataSource } from 'typeorm';
import { migrations } from '../src/database/migrations';
import {
  CELL_DEGREES,
  duplicateLookup,
  incidentCell,
  PgIncidentIndex,
} from '../src/routing/pg-incident-index';
import { decideComplaint, decideComplaints } from '../src/routing/router-consumer';

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function planNodes(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(planNodes)];
}

async function explain(db: DataSource, probe: IncidentRecord): Promise<PlanNode[]> {
  const query = duplicateLookup(probe, DEFAULT_DUPLICATE_POLICY)!;
  const [row] = (await db.query(`EXPLAIN (FORMAT JSON) ${query.sql}`, query.params)) as Array<{
    'QUERY PLAN': Array<{ Plan: PlanNode }>;
  }>;
  return planNodes(row!['QUERY PLAN'][0]!.Plan);
}

describe('duplicate detection at scale and across router instances, against real Postgres', () => {
  const { logger } = capturedLogger('router');
  let database: TestDatabase;
  const instances: DataSource[] = [];

  const open = () =>
    openDatabase({
      url: database.url,
      entities: [],
      migrations,
      migrationsTableName: 'router_migrations',
      logger,
    });

  beforeAll(async () => {
    database = await createTestDatabase('router_incident_scale');
    instances.push(await open(), await open());
  });

  afterAll(async () => {
    for (const db of instances) await db.destroy();
    await database?.drop();
  });

  it('stores the same grid cell for a point as the lookup computes for it', async () => {
    const points = [
      { lat: -6.1706, lon: 106.810469 },
      { lat: -6.2246, lon: 106.8661 },
      { lat: -17 * CELL_DEGREES * 100, lon: 39_000 * CELL_DEGREES },
      { lat: -0.0001, lon: -0.0001 },
      { lat: 51.5, lon: -0.12 },
    ];
    const [db] = instances;
    const rows = (await db!.query(
      `SELECT (floor(p.lat / 0.0027::float8)::bigint * 1000000 + floor(p.lon / 0.0027::float8)::bigint)::text AS cell
         FROM unnest($1::float8[], $2::float8[]) AS p(lat, lon)`,
      [points.map((p) => p.lat), points.map((p) => p.lon)],
    )) as Array<{ cell: string }>;
    expect(rows.map((r) => Number(r.cell))).toEqual(points.map(incidentCell));
    const [column] = (await db!.query(
      `SELECT pg_get_expr(d.adbin, d.adrelid) AS expr
         FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
        WHERE d.adrelid = 'routing_incident'::regclass AND a.attname = 'cell'`,
    )) as Array<{ expr: string }>;
    // The column the index holds is the same formula.
    expect(column!.expr.replace(/\s+/g, '')).toContain('floor((lat/(0.0027)::doubleprecision))');
  });

  it('looks up among 20,000 open incidents through the cell index, and still finds the incident across a cell edge', async () => {
    const [db] = instances;
    const index = new PgIncidentIndex(db!);
    // A flood day's worth of open incidents all over Jakarta, many of them road damage.
    await db!.query(`
      INSERT INTO routing_incident (report_id, category, kelurahan_kode, lat, lon, text_terms, received_at)
      SELECT gen_random_uuid(),
             (ARRAY['Jalan', 'Jalan', 'Banjir', 'Sampah', 'Pohon', 'Saluran Air, Kali/Sungai'])[1 + (n % 6)],
             '31.71.0' || (1 + n % 8) || '.100' || (1 + n % 7),
             lat, lon, ARRAY['jalan', 'lubang'],
             timestamptz '2026-11-20T06:00:00+07:00' - random() * interval '47 hours'
        FROM (SELECT n, -6.36 + random() * 0.27 AS lat, 106.69 + random() * 0.28 AS lon
                FROM generate_series(1, 20000) AS n) AS seeded
       -- None within a kilometre of the probe below, so the incident it must find is the only one.
       WHERE NOT (lat BETWEEN -6.18 AND -6.16 AND lon BETWEEN 106.80 AND 106.82)`);
    // The incident sits just below a cell's southern edge; the probe is 90 m north, in the next cell.
    const edge = Math.ceil(-6.1706 / CELL_DEGREES) * CELL_DEGREES;
    const incident: IncidentRecord = {
      id: uuid(1),
      category: 'Jalan',
      kelurahanKode: '31.71.01.1001',
      point: { lat: edge - 0.0001, lon: 106.810469 },
      receivedAt: '2026-11-20T05:00:00+07:00',
      textSignature: ['jalan', 'lubang', 'motor'],
    };
    await index.add(incident);
    await db!.query('ANALYZE routing_incident');

    const probe: IncidentRecord = {
      ...incident,
      id: uuid(2),
      point: { lat: edge + 0.0007, lon: 106.810469 },
      receivedAt: '2026-11-20T06:00:00+07:00',
    };
    expect(incidentCell(probe.point!)).not.toBe(incidentCell(incident.point!));
    const nodes = await explain(db!, probe);
    expect(nodes.filter((n) => n['Index Name'] === 'routing_incident_cell_idx')).not.toHaveLength(0);
    expect(nodes.filter((n) => n['Node Type'] === 'Seq Scan')).toEqual([]);
    expect(await index.findDuplicate(probe, DEFAULT_DUPLICATE_POLICY)).toMatchObject({
      id: uuid(1),
      basis: 'point',
    });

    const textOnly: IncidentRecord = { ...probe, id: uuid(3), kelurahanKode: '31.71.03.1004' };
    delete (textOnly as { point?: unknown }).point;
    const textNodes = await explain(db!, textOnly);
    expect(textNodes.filter((n) => n['Index Name'] === 'routing_incident_kelurahan_idx')).not.toHaveLength(0);
    expect(textNodes.filter((n) => n['Node Type'] === 'Seq Scan')).toEqual([]);
  });

  /** Pairs of reports of one incident, each pair its own incident (`year` keeps runs apart). */
  function incidentPairs(
    contexts: RoutingContext[],
    year: number,
    first: number,
  ): Array<[RoutingInput, RoutingInput]> {
    // Each round is its own incident: three days after the previous one, beyond the window.
    const at = (round: number) =>
      new Date(Date.parse(`${year}-01-01T06:00:00+07:00`) + round * 72 * 3_600_000);
    const pothole = 'Jalan berlubang dalam di depan SD, bahaya buat motor';
    const pairs: Array<[RoutingInput, RoutingInput]> = [];
    let n = first;
    for (let lat = -6.14; lat >= -6.34; lat -= 0.05)
      for (let lon = 106.74; lon <= 106.95; lon += 0.05) {
        const report = (dLat: number): RoutingInput => ({
          id: uuid(n++),
          channel: 'jaki',
          text: pothole,
          categoryHint: 'Jalan',
          location: { lat: lat + dLat, lon },
          receivedAt: at(pairs.length).toISOString(),
        });
        const pair: [RoutingInput, RoutingInput] = [report(0), report(0.0004)];
        if (proposeRouting(pair[0], contexts[0]!).outcome === 'ROUTED') pairs.push(pair);
      }
    // Text-only pairs: no point, the kelurahan named in the text.
    for (let i = 0; i < 12; i++) {
      const report = (text: string): RoutingInput => ({
        id: uuid(n++),
        channel: 'whatsapp',
        text,
        location: null,
        receivedAt: at(pairs.length).toISOString(),
      });
      pairs.push([
        report('Sampah menumpuk di depan Pasar Rawamangun sudah seminggu tidak diangkut, bau sekali'),
        report('Tumpukan sampah di depan Pasar Rawamangun belum diangkut seminggu, bau dan banyak lalat'),
      ]);
    }
    return pairs;
  }

  /** Every pair became one stored incident and a duplicate of it. */
  async function expectOneIncidentEach(pairs: Array<[RoutingInput, RoutingInput]>, outcomes: string[]) {
    expect(outcomes.filter((o) => o !== 'one incident, one duplicate of it')).toEqual([]);
    const [{ count }] = (await instances[0]!.query(
      'SELECT count(*)::int AS count FROM routing_incident WHERE report_id = ANY($1::uuid[])',
      [pairs.flat().map((r) => r.id)],
    )) as Array<{ count: number }>;
    expect(count).toBe(pairs.length);
  }

  it('turns two reports of one incident decided at once by two instances into one incident and one duplicate', async () => {
    const contexts: RoutingContext[] = instances.map(() => createRoutingContext());
    const indexes = instances.map((db) => new PgIncidentIndex(db));
    const pairs = incidentPairs(contexts, 2027, 1000);
    expect(pairs.length).toBeGreaterThanOrEqual(30);

    const outcomes: string[] = [];
    for (const [a, b] of pairs) {
      const [da, db] = await Promise.all([
        decideComplaint(a, contexts[0]!, indexes[0]!),
        decideComplaint(b, contexts[1]!, indexes[1]!),
      ]);
      outcomes.push(describePair(a, b, da, db));
    }
    await expectOneIncidentEach(pairs, outcomes);
  });

  it('does the same when each instance decides a whole batch, one side of every pair, also when a batch comes again', async () => {
    const contexts: RoutingContext[] = instances.map(() => createRoutingContext());
    const indexes = instances.map((db) => new PgIncidentIndex(db));
    const pairs = incidentPairs(contexts, 2029, 5000);
    expect(pairs.length).toBeGreaterThanOrEqual(30);

    const [as, bs] = await Promise.all([
      decideComplaints(
        pairs.map(([a]) => a),
        contexts[0]!,
        indexes[0]!,
      ),
      decideComplaints(
        pairs.map(([, b]) => b),
        contexts[1]!,
        indexes[1]!,
      ),
    ]);
    const outcomes = pairs.map(([a, b], i) => describePair(a, b, as[i]!, bs[i]!));
    await expectOneIncidentEach(pairs, outcomes);

    // A batch delivered again (its position not committed) decides the same, opening nothing new.
    const again = await decideComplaints(
      pairs.map(([a]) => a),
      contexts[0]!,
      indexes[0]!,
    );
    expect(again.map((d) => [d.outcome, d.duplicateOf])).toEqual(as.map((d) => [d.outcome, d.duplicateOf]));
    await expectOneIncidentEach(pairs, outcomes);
  });
});

function describePair(a: RoutingInput, b: RoutingInput, da: RoutingDecision, db: RoutingDecision): string {
  const outcomes = [da.outcome, db.outcome].sort().join('+');
  if (outcomes === 'DUPLICATE+ROUTED') {
    const [incident, duplicate] = da.outcome === 'ROUTED' ? [a, db] : [b, da];
    if (duplicate.duplicateOf === incident.id) return 'one incident, one duplicate of it';
  }
  return `${a.id}/${b.id}: ${outcomes} ${[...da.reasons, ...db.reasons].filter((r) => r.startsWith('duplicate')).join('; ')}`;
}
