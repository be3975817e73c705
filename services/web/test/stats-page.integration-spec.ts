import { DEV_TRACKING_SECRET, reportIdFor, trackingCodeFor } from '@aduan/channel-sdk';
import type { Area, ComplaintReceived, ComplaintRouted, Unit } from '@aduan/contracts';
import { eventually } from '@aduan/testing';
import type { Page } from 'playwright-core';
import { signInApi } from './support/officers';
import { KENARI, REPORTER, REPORTER_TRACES } from './support/seed';
import { ADMIN, screenshot, startStack, type Stack } from './support/stack';

const GAMBIR: Area = {
  kelurahan: { kode: '31.71.01.1001', nama: 'Gambir' },
  kecamatan: { kode: '31.71.01', nama: 'Gambir' },
  kota: { kode: '31.71', nama: 'Kota Administrasi Jakarta Pusat' },
};
const DSDA: Unit = { code: 'DSDA', name: 'Dinas Sumber Daya Air' };
const DBM: Unit = { code: 'DBM', name: 'Dinas Bina Marga' };

interface Seed {
  source: string;
  channel: string;
  unit: Unit | null;
  area: Area | null;
  category: string;
  then?: 'start' | 'reject';
}

const SEED: Seed[] = [
  { source: 'stats-1', channel: 'whatsapp', unit: DSDA, area: KENARI, category: 'Banjir', then: 'start' },
  { source: 'stats-2', channel: 'whatsapp', unit: DSDA, area: KENARI, category: 'Banjir' },
  { source: 'stats-3', channel: 'email', unit: DBM, area: GAMBIR, category: 'Jalan' },
  { source: 'stats-4', channel: 'sms', unit: null, area: null, category: 'Jalan', then: 'reject' },
];
const REJECTION = 'Lokasi di luar DKI Jakarta';

/** The page's number formats (stats.mjs `format`), applied to the JSON. */
const rate = (r: number | null) => (r === null ? '–' : `${(r * 100).toFixed(1)}%`);
const hours = (x: number | null) => (x === null ? '–' : x.toFixed(1));

interface Rows<T> {
  from: string;
  to: string;
  rows: T[];
}

describe('the statistics page shows what the statistics API answers, in JSON and CSV alike', () => {
  let stack: Stack;
  let page: Page;

  async function api<T>(path: string): Promise<{ res: Response; body: T }> {
    const res = await fetch(`${stack.webUrl}/api/status/v1/public/stats/${path}`);
    return { res, body: (await res.clone().json()) as T };
  }

  async function csvLines(path: string): Promise<string[][]> {
    const res = await fetch(`${stack.webUrl}/api/status/v1/public/stats/${path}`);
    expect(res.status).toBe(200);
    // The names compared here hold no comma or quote, so a split reads them.
    return (await res.text())
      .trimEnd()
      .split('\r\n')
      .slice(1)
      .map((line) => line.split(','));
  }

  /** A table of the page as [data-key, cell texts…] rows. */
  async function tableRows(testid: string): Promise<string[][]> {
    return page.$$eval(`[data-testid="${testid}"] tbody tr`, (trs) =>
      trs.map((tr) => [
        tr.getAttribute('data-key') ?? '',
        ...[...tr.querySelectorAll('td')].map((td) => td.textContent ?? ''),
      ]),
    );
  }

  beforeAll(async () => {
    stack = await startStack('web_stats');
    const now = Date.now();
    const codes: string[] = [];
    for (const [i, s] of SEED.entries()) {
      const reportId = reportIdFor(s.channel, s.source);
      const trackingCode = trackingCodeFor(reportId, DEV_TRACKING_SECRET);
      const at = new Date(now - (SEED.length - i) * 60_000).toISOString();
      const received: ComplaintReceived = {
        reportId,
        trackingCode,
        channel: s.channel,
        source: { id: s.source, receivedAt: at },
        reporter: REPORTER,
        text: `Laporan ${s.category} dari ${REPORTER.name}, hubungi ${REPORTER.phone}`,
        attachments: [],
        visibility: 'public',
        receivedAt: at,
      };
      const routed: ComplaintRouted = {
        reportId,
        trackingCode,
        outcome: s.unit ? 'ROUTED' : 'TRIAGE',
        category: s.category,
        categoryConfidence: 0.9,
        area: s.area,
        placeConfidence: s.area ? 1 : 0,
        unit: s.unit,
        duplicateOf: null,
        reasons: [],
        candidates: [],
        rule: null,
        routedAt: new Date(Date.parse(at) + 1000).toISOString(),
      };
      await stack.seeder.bus.publish('aduan.complaint.received.v1', received);
      await stack.seeder.bus.publish('aduan.complaint.routed.v1', routed);
      await stack.seeder.stored(stack.status.url, { reportId, trackingCode });
      codes.push(reportId);
    }
    const token = await signInApi(stack.status.url, ADMIN.username, ADMIN.password);
    for (const [i, s] of SEED.entries()) {
      if (!s.then) continue;
      const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
      const detail = (await (
        await fetch(`${stack.status.url}/v1/officer/reports/${codes[i]}`, { headers })
      ).json()) as { version: number };
      const res = await fetch(`${stack.status.url}/v1/officer/reports/${codes[i]}/${s.then}`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          version: detail.version,
          ...(s.then === 'reject' ? { reason: REJECTION } : {}),
        }),
      });
      expect(res.status).toBe(200);
    }
    page = await stack.browser.newPage({ viewport: { width: 1280, height: 900 } });
  }, 120_000);

  afterAll(async () => {
    await page?.close();
    await stack?.stop();
  });

  it('passes the figures through the site with their cache policy, and a bad range as a named 400', async () => {
    const { res, body } = await api<Rows<{ reports: number }>>('reports?by=day');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    expect(res.headers.get('etag')).toBeTruthy();
    expect(body.rows).toHaveLength(30);
    expect(body.rows.reduce((n, r) => n + r.reports, 0)).toBe(SEED.length);
    const bad = await api<{ message: string }>('reports?from=2026-12-01&to=2026-11-01');
    expect(bad.res.status).toBe(400);
    expect(bad.res.headers.get('cache-control')).toBe('no-store');
    expect(bad.body.message).toContain('must not be after');
  });

  it('shows the same figures as the JSON and the CSV, and the seeded counts', async () => {
    await page.goto(`${stack.webUrl}/statistik/`);
    await page.waitForSelector('[data-testid="units"]');
    await screenshot(page, 'stats-desktop');
    expect(await page.textContent('[data-testid="total"]')).toBe(String(SEED.length));

    const days = (await api<Rows<{ key: string; reports: number }>>('reports?by=day')).body;
    expect(await tableRows('reports-by-day')).toEqual(
      days.rows.map((r) => [r.key, r.key, String(r.reports)]),
    );
    // The chart draws the same rows: one bar per day, its height from its count.
    const bars = await page.$$eval('[data-testid="day-chart"] rect', (rects) =>
      rects.map((r) => [r.getAttribute('data-day'), Number(r.getAttribute('data-reports'))]),
    );
    expect(bars).toEqual(days.rows.map((r) => [r.key, r.reports]));
    expect((await csvLines('reports.csv?by=day')).map(([k, , n]) => [k, Number(n)])).toEqual(bars);

    // Each breakdown: the page, the JSON, the CSV and the seed agree.
    const expected: Record<string, Map<string | null, number>> = {
      channel: new Map(),
      unit: new Map(),
      kelurahan: new Map(),
    };
    for (const s of SEED) {
      const keys = {
        channel: s.channel,
        unit: s.unit?.code ?? null,
        kelurahan: s.area?.kelurahan.kode ?? null,
      };
      for (const [by, key] of Object.entries(keys)) expected[by]!.set(key, (expected[by]!.get(key) ?? 0) + 1);
    }
    for (const by of ['channel', 'category', 'kota', 'kecamatan', 'kelurahan', 'unit']) {
      const json = (
        await api<Rows<{ key: string | null; label: string; reports: number }>>(`reports?by=${by}`)
      ).body;
      expect([by, await tableRows(`reports-by-${by}`)]).toEqual([
        by,
        json.rows.map((r) => [r.key ?? '', r.label, String(r.reports)]),
      ]);
      const csv = await csvLines(`reports.csv?by=${by}`);
      expect(csv.map(([k, label, n]) => [k, label, n])).toEqual(
        json.rows.map((r) => [r.key ?? '', r.label, String(r.reports)]),
      );
      if (expected[by]) expect(new Map(json.rows.map((r) => [r.key, r.reports]))).toEqual(expected[by]);
    }

    const units = (
      await api<
        Rows<{
          unit: Unit;
          reports: number;
          backlog: number;
          overdue: number;
          completed: number;
          reopened: number;
          reopenRate: number | null;
        }>
      >('units')
    ).body;
    expect(await tableRows('units')).toEqual(
      units.rows.map((r) => [
        r.unit.code,
        r.unit.name,
        ...[r.reports, r.backlog, r.overdue, r.completed, r.reopened].map(String),
        rate(r.reopenRate),
      ]),
    );
    // Both units still hold every report they were given.
    expect(units.rows.map((r) => [r.unit.code, r.reports, r.backlog])).toEqual([
      ['DBM', 1, 1],
      ['DSDA', 2, 2],
    ]);
    expect((await csvLines('units.csv')).map((c) => c.slice(0, 4))).toEqual(
      units.rows.map((r) => [r.unit.code, r.unit.name, String(r.reports), String(r.backlog)]),
    );

    const sla = (
      await api<
        Rows<{
          unit: Unit;
          stage: string;
          decided: number;
          hitRate: number | null;
          medianHours: number | null;
          p90Hours: number | null;
        }>
      >('sla')
    ).body;
    const slaRows = await tableRows('sla');
    expect(slaRows.map(([key, , , decided, hit, median, p90]) => [key, decided, hit, median, p90])).toEqual(
      sla.rows.map((r) => [
        `${r.unit.code}/${r.stage}`,
        String(r.decided),
        rate(r.hitRate),
        hours(r.medianHours),
        hours(r.p90Hours),
      ]),
    );
    // DSDA started one report within minutes: its coordination clock is met, on time.
    expect(sla.rows.find((r) => r.unit.code === 'DSDA' && r.stage === 'coordination')).toMatchObject({
      decided: 1,
      hitRate: 1,
    });

    const rejections = (
      await api<Rows<{ unit: Unit | null; reason: string | null; reports: number }>>('rejections')
    ).body;
    expect(rejections.rows).toEqual([{ unit: null, reason: `Laporan ditolak: ${REJECTION}`, reports: 1 }]);
    expect(await tableRows('rejections')).toEqual([
      ['', 'Ditolak sebelum diteruskan ke unit', `Laporan ditolak: ${REJECTION}`, '1'],
    ]);

    const map = (await api<Rows<{ kelurahan: { kode: string }; reports: number }>>('map')).body;
    const mapRows = await tableRows('map');
    expect(mapRows.map(([kode, , n]) => [kode, Number(n)])).toEqual(
      map.rows.map((r) => [r.kelurahan.kode, r.reports]),
    );
    expect(mapRows.map(([kode, , n]) => [kode, Number(n)])).toEqual([
      [KENARI.kelurahan.kode, 2],
      [GAMBIR.kelurahan.kode, 1],
    ]);
    expect(mapRows[0]![3]).toBe('Proses 1, Menunggu 1');
    // Both kelurahan are drawn from their outlines, shaded by count.
    const shapes = await page.$$eval('[data-testid="area-map"] path', (paths) =>
      paths.map((p) => [p.getAttribute('data-kode'), Number(p.getAttribute('data-reports'))]),
    );
    expect(shapes).toEqual(map.rows.map((r) => [r.kelurahan.kode, r.reports]));

    // Nothing of the reporter reached the page.
    const text = await page.content();
    for (const trace of REPORTER_TRACES) expect(text).not.toContain(trace);
  });

  it('reads the range from the address, in English on the toggle, and names a bad range', async () => {
    const phone = await stack.browser.newPage({ viewport: { width: 390, height: 844 } });
    try {
      const { body } = await api<Rows<unknown>>('reports?by=day');
      await phone.goto(`${stack.webUrl}/statistik/?from=${body.to}&to=${body.to}`);
      await phone.waitForSelector('[data-testid="units"]');
      expect(await phone.textContent('[data-testid="total"]')).toBe(String(SEED.length));
      expect(await phone.$$eval('[data-testid="day-chart"] rect', (r) => r.length)).toBe(1);
      // Wide tables scroll inside their card; the page itself does not scroll sideways.
      expect(await phone.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
      await phone.click('#lang');
      await phone.waitForSelector('h1:text-is("Report statistics")');
      await phone.waitForSelector('[data-testid="units"]');
      expect(await phone.getAttribute('html', 'lang')).toBe('en');
      expect(await phone.textContent('[data-testid="units"] thead')).toContain('Reopen rate');
      await screenshot(phone, 'stats-phone-en');

      await phone.goto(`${stack.webUrl}/statistik/?from=2024-01-01&to=2026-01-01`);
      await phone.waitForSelector('#message .message.error');
      expect(await phone.textContent('#message')).toContain('at most 366 days');
      await phone.click('#lang'); // back to Bahasa Indonesia for the next suite
    } finally {
      await phone.close();
    }
  });

  it('answers /statistik with the page and keeps its address', async () => {
    const res = await fetch(`${stack.webUrl}/statistik`, { redirect: 'manual' });
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe('/statistik/');
    await eventually(async () => {
      const page = await fetch(`${stack.webUrl}/statistik/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('/assets/stats.mjs');
    });
  });
});
