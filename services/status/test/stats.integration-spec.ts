import type { Area, ComplaintRouted, LifecycleState } from '@aduan/contracts';
import { capturedLogger, eventually } from '@aduan/testing';
import type { StatusService } from '../src/app';
import {
  ADMIN,
  createStack,
  OfficerClient,
  photo,
  receivedEvent,
  routedEvent,
  start,
  TestClock,
  type Stack,
} from './harness';

/*
 * A week of reports with known times and officer actions, put through the real intake topics
 * and the officer API with a moving clock. The expected figures are worked out below from this
 * plan alone, with the rules of ADR 0032 and 0034, never read back from the service.
 */

const HOUR = 3600_000;
const KENARI: Area = {
  kelurahan: { kode: '31.71.04.1002', nama: 'Kenari' },
  kecamatan: { kode: '31.71.04', nama: 'Senen' },
  kota: { kode: '31.71', nama: 'Kota Administrasi Jakarta Pusat' },
};
const GAMBIR: Area = {
  kelurahan: { kode: '31.71.01.1001', nama: 'Gambir' },
  kecamatan: { kode: '31.71.01', nama: 'Gambir' },
  kota: { kode: '31.71', nama: 'Kota Administrasi Jakarta Pusat' },
};
const DSDA = { code: 'DSDA', name: 'Dinas Sumber Daya Air' };
const DBM = { code: 'DBM', name: 'Dinas Bina Marga' };

type Action = 'start' | 'follow-up' | 'accept' | 'reject' | 'reopen';
interface Planned {
  name: string;
  channel: string;
  receivedAt: string;
  unit: { code: string; name: string } | null;
  area: Area;
  category: string;
  confidential?: boolean;
  /** Filed as private: the public sees its state only. */
  private?: boolean;
  /** The router turned it down (no unit, no clocks of its own). */
  routerRejects?: boolean;
  /** Hours after receipt. */
  actions: Array<[Action, number, string?]>;
}

const DRAIN = 'Saluran Air, Kali/Sungai';
const ROAD = 'Jalan';
const PLAN: Planned[] = [
  {
    name: 'A',
    channel: 'whatsapp',
    receivedAt: '2026-01-05T02:00:00Z',
    unit: DSDA,
    area: KENARI,
    category: DRAIN,
    actions: [
      ['start', 2],
      ['follow-up', 20],
      ['accept', 30],
    ],
  },
  {
    // 00:30 WIB on 5 January, still 4 January in UTC.
    name: 'B',
    channel: 'email',
    receivedAt: '2026-01-04T17:30:00Z',
    unit: DSDA,
    area: KENARI,
    category: DRAIN,
    actions: [
      ['start', 8],
      ['follow-up', 40],
      ['accept', 50],
      ['reopen', 60, 'Genangan muncul lagi'],
    ],
  },
  {
    name: 'C',
    channel: 'whatsapp',
    receivedAt: '2026-01-06T03:00:00Z',
    unit: DSDA,
    area: GAMBIR,
    category: DRAIN,
    actions: [
      ['start', 1],
      ['follow-up', 5],
      ['accept', 170],
    ],
  },
  {
    name: 'D',
    channel: 'sms',
    receivedAt: '2026-01-07T05:00:00Z',
    unit: DBM,
    area: GAMBIR,
    category: ROAD,
    actions: [],
  },
  {
    name: 'E',
    channel: 'lapor',
    receivedAt: '2026-01-08T10:00:00Z',
    unit: DBM,
    area: KENARI,
    category: ROAD,
    confidential: true,
    actions: [['start', 3]],
  },
  {
    name: 'F',
    channel: 'whatsapp',
    receivedAt: '2026-01-09T01:00:00Z',
    unit: null,
    area: GAMBIR,
    category: ROAD,
    routerRejects: true,
    actions: [],
  },
  {
    name: 'G',
    channel: 'email',
    receivedAt: '2026-01-09T04:00:00Z',
    unit: DBM,
    area: GAMBIR,
    category: ROAD,
    actions: [['reject', 1, 'Jalan tol di luar kewenangan Pemprov DKI']],
  },
  {
    name: 'H',
    channel: 'whatsapp',
    receivedAt: '2026-01-10T02:00:00Z',
    unit: DBM,
    area: KENARI,
    category: ROAD,
    confidential: true,
    actions: [['reject', 2, 'Tidak jelas lokasinya, mohon lapor ulang']],
  },
  {
    name: 'K',
    channel: 'email',
    receivedAt: '2026-01-11T09:00:00Z',
    unit: DBM,
    area: GAMBIR,
    category: ROAD,
    private: true,
    actions: [['reject', 4, 'Sudah dilaporkan Bapak RT kemarin']],
  },
  // Outside the range: 01:00 WIB on 12 January, and 23:59 WIB on 4 January.
  {
    name: 'I',
    channel: 'whatsapp',
    receivedAt: '2026-01-11T18:00:00Z',
    unit: DSDA,
    area: KENARI,
    category: DRAIN,
    actions: [],
  },
  {
    name: 'J',
    channel: 'whatsapp',
    receivedAt: '2026-01-04T16:59:00Z',
    unit: DSDA,
    area: KENARI,
    category: DRAIN,
    actions: [],
  },
];
const FROM = '2026-01-05';
const TO = '2026-01-11';
const AS_OF = new Date('2026-01-13T12:00:00Z');
/** The router decides a minute after receipt. */
const ROUTING_DELAY = 60_000;

// ---- The expected figures, from the plan and the documented rules only ----

const at = (p: Planned, hours: number) => new Date(Date.parse(p.receivedAt) + hours * HOUR);
const jakartaDay = (d: Date) => new Date(d.getTime() + 7 * HOUR).toISOString().slice(0, 10);
const inRange = (p: Planned) => {
  const day = jakartaDay(new Date(p.receivedAt));
  return day >= FROM && day <= TO;
};
const SCOPE = PLAN.filter(inRange);

function stateOf(p: Planned): LifecycleState {
  if (p.routerRejects) return 'REJECTED';
  const last = p.actions[p.actions.length - 1]?.[0];
  const after: Record<Action, LifecycleState> = {
    start: 'IN_PROGRESS',
    'follow-up': 'AWAITING_VALIDATION',
    accept: 'COMPLETED',
    reject: 'REJECTED',
    reopen: 'IN_PROGRESS',
  };
  return last ? after[last] : 'RECEIVED';
}

interface Clock {
  stage: string;
  started: Date;
  due: Date;
  met: Date | null;
}

/** ADR 0034: coordination 6 h from routing to a unit, met by start, disposal or follow-up or an end; resolution 7 days from receipt, met by an end. */
function clocksOf(p: Planned): Clock[] {
  const firstOf = (actions: Action[]) => {
    const hit = p.actions.find(([a]) => actions.includes(a));
    return hit ? at(p, hit[1]) : null;
  };
  const routed = new Date(Date.parse(p.receivedAt) + ROUTING_DELAY);
  return [
    {
      stage: 'coordination',
      started: routed,
      due: new Date(routed.getTime() + 6 * HOUR),
      met: firstOf(['start', 'follow-up', 'accept', 'reject']),
    },
    {
      stage: 'resolution',
      started: at(p, 0),
      due: at(p, 7 * 24),
      met: firstOf(['accept', 'reject']),
    },
  ];
}

/** PostgreSQL's percentile_cont: linear interpolation between the closest ranks. */
function percentile(values: number[], p: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = p * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** RFC 4180, written out here so that the test does not share the service's CSV code. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (quoted || (c !== ',' && c !== '\r')) {
      cell += c;
    } else if (c === ',') {
      row.push(cell);
      cell = '';
    } else {
      // \r\n ends a row
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    }
  }
  return rows;
}

function countBy<T>(items: T[], key: (t: T) => string | null): Map<string | null, number> {
  const out = new Map<string | null, number>();
  for (const i of items) out.set(key(i), (out.get(key(i)) ?? 0) + 1);
  return out;
}

describe('public statistics: figures computed by SQL from the lifecycle, in JSON and CSV', () => {
  const { logger, lines } = capturedLogger('status');
  const clock = new TestClock(new Date('2026-01-04T00:00:00Z'));
  let stack: Stack;
  let svc: StatusService & { base: string };
  const ids = new Map<string, { reportId: string; trackingCode: string }>();

  async function admin(): Promise<OfficerClient> {
    return OfficerClient.signIn(svc.base, ADMIN.username, ADMIN.password);
  }

  async function act(p: Planned, action: Action, note?: string): Promise<void> {
    const officer = await admin();
    const { reportId } = ids.get(p.name)!;
    const { body } = await officer.get<{ version: number }>(`/v1/officer/reports/${reportId}`);
    let path: string = action;
    let payload: Record<string, unknown> = {};
    if (action === 'follow-up') {
      const photoRes = await officer.upload(reportId, await photo(p.name.charCodeAt(0) + p.actions.length));
      payload = { note: 'Sudah ditangani.', evidence: [photoRes.body.id] };
    } else if (action === 'accept') {
      path = 'validate';
      payload = { decision: 'accept' };
    } else if (note) payload = { reason: note };
    const res = await officer.post(`/v1/officer/reports/${reportId}/${path}`, {
      version: body.version,
      ...payload,
    });
    if (res.status !== 200) throw new Error(`${p.name} ${action}: ${res.status} ${JSON.stringify(res.body)}`);
  }

  beforeAll(async () => {
    stack = await createStack('status_stats', logger);
    svc = await start(stack, logger, clock);
    for (const p of PLAN) {
      const received = receivedEvent({
        channel: p.channel,
        receivedAt: p.receivedAt,
        ...(p.confidential ? { confidential: true } : {}),
        ...(p.private ? { visibility: 'private' as const } : {}),
      });
      const routed: ComplaintRouted = routedEvent(received, {
        outcome: p.routerRejects ? 'REJECTED' : 'ROUTED',
        category: p.category,
        area: p.area,
        unit: p.unit,
        reasons: p.routerRejects ? [{ code: 'spam_or_advertising' }] : [],
        routedAt: new Date(Date.parse(p.receivedAt) + ROUTING_DELAY).toISOString(),
      });
      ids.set(p.name, { reportId: received.reportId, trackingCode: received.trackingCode });
      // Received first, then routed: the clocks then start as they do in production's usual order.
      await stack.bus.publish('aduan.complaint.received.v1', received);
      await eventually(async () => {
        const rows = (await svc.db.query('SELECT 1 FROM report_transition WHERE report_id = $1', [
          received.reportId,
        ])) as unknown[];
        expect(rows).toHaveLength(1);
      });
      await stack.bus.publish('aduan.complaint.routed.v1', routed);
      await eventually(async () => {
        const rows = (await svc.db.query('SELECT 1 FROM report_transition WHERE report_id = $1', [
          received.reportId,
        ])) as unknown[];
        expect(rows).toHaveLength(2);
      });
    }
    // Every officer action in time order, each at its own moment of the service's clock.
    const steps = PLAN.flatMap((p) => p.actions.map(([a, h, note]) => ({ p, a, when: at(p, h), note })));
    steps.sort((x, y) => x.when.getTime() - y.when.getTime());
    for (const s of steps) {
      clock.now = s.when;
      await act(s.p, s.a, s.note);
    }
    clock.now = AS_OF;
  }, 180_000);

  afterAll(async () => {
    await svc?.stop();
    await stack?.close();
  });

  async function stats<T>(path: string): Promise<{ status: number; headers: Headers; body: T }> {
    const res = await fetch(`${svc.base}/v1/public/stats/${path}`);
    return { status: res.status, headers: res.headers, body: (await res.json()) as T };
  }

  async function csv(path: string): Promise<string[][]> {
    const res = await fetch(`${svc.base}/v1/public/stats/${path}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    return parseCsv(await res.text());
  }

  const range = `from=${FROM}&to=${TO}`;

  it('counts reports per Jakarta day, every day of the range, confidential ones included', async () => {
    const res = await stats<{ from: string; to: string; rows: Array<{ key: string; reports: number }> }>(
      `reports?${range}&by=day`,
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    expect(res.headers.get('etag')).toBeTruthy();
    const perDay = countBy(SCOPE, (p) => jakartaDay(new Date(p.receivedAt)));
    const days = Array.from({ length: 7 }, (_, i) => `2026-01-${String(5 + i).padStart(2, '0')}`);
    expect(res.body.rows).toEqual(days.map((d) => ({ key: d, label: d, reports: perDay.get(d) ?? 0 })));
    expect(res.body.rows.reduce((n, r) => n + r.reports, 0)).toBe(SCOPE.length);
    // The JSON names its CSV, relative to itself.
    expect((res.body as unknown as { csv: string }).csv).toBe(`reports.csv?${range}&by=day`);
    expect(SCOPE).toHaveLength(9);

    // The same rows in CSV.
    const rows = await csv(`reports.csv?${range}&by=day`);
    expect(rows[0]).toEqual(['key', 'label', 'reports']);
    expect(rows.slice(1)).toEqual(days.map((d) => [d, d, String(perDay.get(d) ?? 0)]));

    // A second request with the ETag costs no body.
    const again = await fetch(`${svc.base}/v1/public/stats/reports?${range}&by=day`, {
      headers: { 'if-none-match': res.headers.get('etag')! },
    });
    expect(again.status).toBe(304);
  });

  it.each([
    ['channel', (p: Planned) => p.channel],
    ['category', (p: Planned) => p.category],
    ['kota', (p: Planned) => p.area.kota.kode],
    ['kecamatan', (p: Planned) => p.area.kecamatan.kode],
    ['kelurahan', (p: Planned) => p.area.kelurahan.kode],
    ['unit', (p: Planned) => p.unit?.code ?? null],
  ] as const)('counts reports per %s', async (by, key) => {
    const res = await stats<{ rows: Array<{ key: string | null; label: string; reports: number }> }>(
      `reports?${range}&by=${by}`,
    );
    expect(res.status).toBe(200);
    const expected = countBy(SCOPE, key);
    expect(new Map(res.body.rows.map((r) => [r.key, r.reports]))).toEqual(expected);
    const rows = await csv(`reports.csv?${range}&by=${by}`);
    expect(rows.slice(1).map(([k, , n]) => [k || null, Number(n)])).toEqual(
      res.body.rows.map((r) => [r.key, r.reports]),
    );
  });

  it('gives each unit its backlog, overdue, completed and reopened reports', async () => {
    const res = await stats<{ rows: Array<Record<string, unknown>> }>(`units?${range}`);
    expect(res.status).toBe(200);
    const units = [...new Set(SCOPE.filter((p) => p.unit).map((p) => p.unit!.code))].sort();
    const expected = units.map((code) => {
      const mine = SCOPE.filter((p) => p.unit?.code === code);
      const open = mine.filter((p) => !['COMPLETED', 'REJECTED'].includes(stateOf(p)));
      const completed = mine.filter((p) => p.actions.some(([a]) => a === 'accept')).length;
      const reopened = mine.filter((p) => p.actions.some(([a]) => a === 'reopen')).length;
      return {
        unit: mine[0]!.unit,
        reports: mine.length,
        backlog: open.length,
        overdue: open.filter((p) => clocksOf(p).some((c) => !c.met && c.due < AS_OF)).length,
        completed,
        reopened,
        reopenRate: completed ? Math.round((reopened / completed) * 1e4) / 1e4 : null,
      };
    });
    expect(res.body.rows).toEqual(expected);
    // Worked by hand once, so that the rules above cannot agree with the SQL by sharing a mistake.
    expect(expected.map((u) => [u.unit!.code, u.backlog, u.overdue, u.reopenRate])).toEqual([
      ['DBM', 2, 1, null],
      ['DSDA', 1, 0, 0.3333],
    ]);

    const rows = await csv(`units.csv?${range}`);
    expect(rows[0]).toEqual([
      'unit_code',
      'unit_name',
      'reports',
      'backlog',
      'overdue',
      'completed',
      'reopened',
      'reopen_rate',
    ]);
    expect(rows.slice(1)).toEqual(
      expected.map((u) => [
        u.unit!.code,
        u.unit!.name,
        ...[u.reports, u.backlog, u.overdue, u.completed, u.reopened].map(String),
        u.reopenRate === null ? '' : String(u.reopenRate),
      ]),
    );
  });

  it('gives each unit and SLA stage its hit rate and median and p90 time', async () => {
    const res = await stats<{
      rows: Array<{
        unit: { code: string };
        stage: string;
        clocks: number;
        decided: number;
        metOnTime: number;
        hitRate: number | null;
        medianHours: number | null;
        p90Hours: number | null;
      }>;
    }>(`sla?${range}`);
    expect(res.status).toBe(200);
    for (const code of ['DBM', 'DSDA']) {
      for (const stage of ['coordination', 'resolution']) {
        const clocks = SCOPE.filter((p) => p.unit?.code === code)
          .flatMap(clocksOf)
          .filter((c) => c.stage === stage);
        const decided = clocks.filter((c) => c.met || c.due < AS_OF);
        const onTime = decided.filter((c) => c.met && c.met <= c.due);
        const hours = clocks.filter((c) => c.met).map((c) => (c.met!.getTime() - c.started.getTime()) / HOUR);
        const row = res.body.rows.find((r) => r.unit.code === code && r.stage === stage);
        expect(row).toMatchObject({
          clocks: clocks.length,
          decided: decided.length,
          metOnTime: onTime.length,
          hitRate: decided.length ? expect.closeTo(onTime.length / decided.length, 4) : null,
        });
        const median = percentile(hours, 0.5);
        const p90 = percentile(hours, 0.9);
        expect(row!.medianHours).toEqual(median === null ? null : expect.closeTo(median, 2));
        expect(row!.p90Hours).toEqual(p90 === null ? null : expect.closeTo(p90, 2));
      }
    }
    // DSDA's coordination: A in 2 h, B late at 8 h, C in 1 h.
    expect(res.body.rows.find((r) => r.unit.code === 'DSDA' && r.stage === 'coordination')).toMatchObject({
      decided: 3,
      metOnTime: 2,
      medianHours: expect.closeTo(1.98, 2),
    });

    const rows = await csv(`sla.csv?${range}`);
    expect(rows.slice(1)).toEqual(
      res.body.rows.map((r) =>
        [
          r.unit.code,
          expect.any(String),
          r.stage,
          r.clocks,
          r.decided,
          r.metOnTime,
          r.hitRate,
          r.medianHours,
          r.p90Hours,
        ].map((v) => (v === null ? '' : typeof v === 'number' ? String(v) : v)),
      ),
    );
  });

  it("lists rejections with the reason the citizen reads, never an officer's note on a confidential or private report", async () => {
    const publicNote = async (name: string) => {
      const res = await fetch(`${svc.base}/v1/public/reports/${ids.get(name)!.trackingCode}`);
      const body = (await res.json()) as { timeline: Array<{ state: string; note: string }> };
      return body.timeline.find((t) => t.state === 'REJECTED')!.note;
    };
    const res = await stats<{
      rows: Array<{ unit: { code: string } | null; reason: string | null; reports: number }>;
    }>(`rejections?${range}`);
    expect(res.status).toBe(200);
    expect(res.body.rows).toEqual(
      expect.arrayContaining([
        { unit: null, reason: await publicNote('F'), reports: 1 },
        { unit: DBM, reason: await publicNote('G'), reports: 1 },
        // H is confidential and K private: neither has a public page to read a reason on.
        { unit: DBM, reason: null, reports: 2 },
      ]),
    );
    expect(res.body.rows).toHaveLength(3);
    for (const hidden of ['Tidak jelas lokasinya', 'Bapak RT'])
      expect(JSON.stringify(res.body)).not.toContain(hidden);
    const text = await (await fetch(`${svc.base}/v1/public/stats/rejections.csv?${range}`)).text();
    expect(text).toContain(await publicNote('G'));
    for (const hidden of ['Tidak jelas lokasinya', 'Bapak RT']) expect(text).not.toContain(hidden);
  });

  it('maps reports per kelurahan with their states, and nothing about any one report', async () => {
    const res = await stats<{
      rows: Array<{ kelurahan: { kode: string }; reports: number; states: object }>;
    }>(`map?${range}`);
    expect(res.status).toBe(200);
    const byKelurahan = new Map<string, Record<string, number>>();
    for (const p of SCOPE) {
      const states = byKelurahan.get(p.area.kelurahan.kode) ?? {};
      states[stateOf(p)] = (states[stateOf(p)] ?? 0) + 1;
      byKelurahan.set(p.area.kelurahan.kode, states);
    }
    expect(res.body.rows).toHaveLength(byKelurahan.size);
    for (const row of res.body.rows) {
      expect(row.states).toEqual(byKelurahan.get(row.kelurahan.kode));
      expect(row.reports).toBe(Object.values(row.states).reduce((a: number, b: number) => a + b, 0));
    }
    const body =
      JSON.stringify(res.body) + (await (await fetch(`${svc.base}/v1/public/stats/map.csv?${range}`)).text());
    for (const [name, { trackingCode }] of ids)
      expect([name, body.includes(trackingCode)]).toEqual([name, false]);
    for (const trace of ['Siti', 'Rahmawati', '6281234567890', 'siti.rahma@example.id', 'Kramat', '-6.18'])
      expect(body).not.toContain(trace);
  });

  it('answers a bad range or parameter with a 400 that names it, and an unknown dataset with a 404', async () => {
    const cases: Array<[string, RegExp]> = [
      ['reports?from=2026-13-01', /from must be a date/],
      ['reports?from=2026-01-10&to=2026-01-01', /from \(2026-01-10\) must not be after to \(2026-01-01\)/],
      ['reports?from=2024-01-01&to=2026-01-01', /at most 366 days/],
      ['reports?by=reporter', /by must be one of day, channel/],
      ['units?by=day', /unknown parameter by/],
      ['map?from=2026-01-01&from=2026-01-02', /from must be given once/],
      ['sla?to=yesterday', /to must be a date/],
    ];
    for (const [path, message] of cases) {
      const res = await stats<{ code: string; message: string }>(path);
      expect([path, res.status, res.body.code]).toEqual([path, 400, 'INVALID_QUERY']);
      expect(res.body.message).toMatch(message);
    }
    expect((await stats('reporters')).status).toBe(404);
    // The service keeps serving, and logged no reporter.
    expect((await stats(`units?${range}`)).status).toBe(200);
    expect(lines.join('\n')).not.toContain('Rahmawati');
  });
});
