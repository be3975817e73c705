import { randomUUID } from 'node:crypto';
import { trackingCodeFor, DEV_TRACKING_SECRET } from '@aduan/channel-sdk';
import type { ComplaintReceived } from '@aduan/contracts';
import { capturedLogger, eventually } from '@aduan/testing';
import type { Browser } from 'playwright-core';
import { startChannelOpen311 } from '../services/channel-open311/src/app';
import { startWeb } from '../services/web/src/app';
import { launchChromium } from '../services/web/test/support/browser';
import { ADMIN, startStack, submitJaki } from './stack';

/**
 * Citizens with names, phone numbers and e-mail addresses report through JAKI (and one
 * confidential report through the status intake, as LAPOR! sends them); then every public
 * surface is read — the pages as served and as the browser renders them, the tracking JSON,
 * its server-sent events, the statistics in JSON and CSV, the Open311 lists and GeoReport API —
 * and none may hold any piece of any reporter.
 */

interface Citizen {
  name: string;
  phone: string;
  email: string;
}

const CITIZENS: Citizen[] = [
  { name: 'Bambang Sutrisno', phone: '081377788899', email: 'bambang.sutrisno@warga.example' },
  { name: 'Dewi Lestari', phone: '+6285712349876', email: 'dewi.lestari@contoh.id' },
  { name: 'Yohanes Pardede', phone: '0819-5566-4433', email: 'yohanes.p@surel.example' },
  { name: 'Aisyah Kartika', phone: '087844441212', email: 'aisyah.kartika@mail.example' },
];

/** Every form a reporter's data could take on a page: each name, the address, its local part, the number however written. */
function traces(c: Citizen): string[] {
  const digits = c.phone.replace(/\D/g, '');
  const national = digits.replace(/^62/, '0');
  return [
    ...c.name.split(' '),
    c.email,
    c.email.split('@')[0]!,
    national,
    national.slice(1), // 8xx…, as +62 8xx… loses its 0
    `${national.slice(0, 4)}-${national.slice(4, 8)}-${national.slice(8)}`,
  ];
}
const ALL_TRACES = CITIZENS.flatMap(traces);
/** A phone number survives any separators: the digits of a body are searched too. */
const PHONE_DIGITS = CITIZENS.map((c) => c.phone.replace(/\D/g, '').replace(/^(62|0)/, ''));

function leaks(body: string): string[] {
  const lower = body.toLowerCase();
  const found = ALL_TRACES.filter((t) => lower.includes(t.toLowerCase()));
  const digits = body.replace(/\D/g, '');
  return [...found, ...PHONE_DIGITS.filter((d) => digits.includes(d))];
}

describe('no public page or answer shows anything of a reporter', () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let webUrl = '';
  let stopWeb: () => Promise<void> = async () => undefined;
  let open311Url = '';
  let stopOpen311: () => Promise<void> = async () => undefined;
  let browser: Browser;
  const codes: string[] = [];
  let confidential = '';
  /** What was read, and where: the test fails naming each surface that showed a trace. */
  const scanned: Array<{ where: string; leaks: string[] }> = [];

  async function read(where: string, url: string, init: RequestInit = {}): Promise<string> {
    const res = await fetch(url, init);
    const body = await res.text();
    scanned.push({ where: `${where} (${res.status})`, leaks: leaks(body) });
    return body;
  }

  beforeAll(async () => {
    stack = await startStack('e2e_privacy');
    const web = await startWeb(
      { WEB_PORT: '0', STATUS_BASE_URL: stack.statusUrl },
      capturedLogger('web').logger,
    );
    webUrl = `http://127.0.0.1:${web.port}`;
    stopWeb = () => web.stop();
    browser = await launchChromium();
    const open311 = await startChannelOpen311(
      { ...stack.env, OPEN311_PORT: '0', STATUS_BASE_URL: stack.statusUrl },
      capturedLogger('channel-open311').logger,
    );
    open311Url = `http://127.0.0.1:${open311.port}/open311/v2`;
    stopOpen311 = () => open311.stop();

    const [bambang, dewi, yohanes, aisyah] = CITIZENS as [Citizen, Citizen, Citizen, Citizen];
    const submitted = [
      // Signed, with the number and address in the text as citizens write them.
      await submitJaki(stack.jakiUrl, {
        text: `Saluran air di depan rumah saya mampet dan meluap ke jalan. Saya ${bambang.name}, hubungi 0813-7778-8899 atau ${bambang.email}`,
        category: 'Saluran Air, Kali/Sungai',
        location: { lat: -6.1706, lon: 106.810469 },
        reporter: bambang,
      }),
      // A private report: its text is never shown.
      await submitJaki(stack.jakiUrl, {
        text: `Tetangga membuang sampah ke kali setiap malam. Pelapor ${dewi.name} (${dewi.phone}).`,
        category: 'Sampah',
        location: { lat: -6.1862, lon: 106.8447 },
        visibility: 'private',
        reporter: dewi,
      }),
      // Spam, turned down by the router with a public reason.
      await submitJaki(stack.jakiUrl, {
        text: `PROMO!!! Pinjaman online cair 5 menit tanpa jaminan, hubungi ${yohanes.name} di WA ${yohanes.phone}, klik link di bio`,
        reporter: yohanes,
      }),
    ];
    codes.push(...submitted.map((s) => s.trackingCode));

    // A confidential report, as channel-lapor publishes one: counted in the figures, shown nowhere.
    const reportId = randomUUID();
    confidential = trackingCodeFor(reportId, DEV_TRACKING_SECRET);
    const received: ComplaintReceived = {
      reportId,
      trackingCode: confidential,
      channel: 'lapor',
      source: { id: `lapor-${reportId.slice(0, 8)}`, receivedAt: new Date().toISOString() },
      reporter: { ...aisyah, anonymous: false },
      text: `Jalan rusak parah di depan sekolah. ${aisyah.name}, ${aisyah.phone}, ${aisyah.email}`,
      location: { lat: -6.1706, lon: 106.810469 },
      attachments: [],
      visibility: 'public',
      confidential: true,
      receivedAt: new Date().toISOString(),
    };
    await stack.bus.publish('aduan.complaint.received.v1', received);

    // Every report routed (as officers see it: a private report shows the public its state only),
    // the first one taken up by an officer with a public note.
    const token = (
      (await (
        await fetch(`${stack.statusUrl}/v1/officer/auth/sign-in`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(ADMIN),
        })
      ).json()) as { accessToken: string }
    ).accessToken;
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    for (const { reportId: id } of [...submitted, { reportId }])
      await eventually(
        async () => {
          const res = await fetch(`${stack.statusUrl}/v1/officer/reports/${id}`, { headers: auth });
          expect(res.status).toBe(200);
          expect(((await res.json()) as { state: string }).state).toBeTruthy();
        },
        { timeoutMs: 30_000 },
      );
    for (const { reportId } of submitted)
      await eventually(
        async () => {
          const res = await fetch(`${stack.statusUrl}/v1/officer/reports/${reportId}`, { headers: auth });
          expect(((await res.json()) as { routing: unknown }).routing).toBeTruthy();
        },
        { timeoutMs: 30_000 },
      );
    const first = submitted[0]!;
    const { version } = (await (
      await fetch(`${stack.statusUrl}/v1/officer/reports/${first.reportId}`, { headers: auth })
    ).json()) as { version: number };
    const started = await fetch(`${stack.statusUrl}/v1/officer/reports/${first.reportId}/start`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ version, note: 'Petugas menuju lokasi.' }),
    });
    expect(started.status).toBe(200);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stopOpen311();
    await stopWeb();
    await stack?.stop();
  });

  it('the officer side does hold the reporters: the scan looks for data that is really there', async () => {
    const res = await fetch(`${stack.statusUrl}/v1/officer/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    const { accessToken } = (await res.json()) as { accessToken: string };
    const queue = await fetch(`${stack.statusUrl}/v1/officer/queue`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    const items = ((await queue.json()) as { items: Array<{ id: string }> }).items;
    const texts = await Promise.all(
      items.map(async (i) => {
        const detail = await fetch(`${stack.statusUrl}/v1/officer/reports/${i.id}`, {
          headers: { authorization: `Bearer ${accessToken}` },
        });
        return detail.text();
      }),
    );
    expect(leaks(texts.join('\n'))).toEqual(expect.arrayContaining(['Bambang', 'Sutrisno']));
  });

  it('finds no name, phone number or e-mail address on any public surface', async () => {
    const api = `${webUrl}/api/status/v1/public`;
    // The pages as served.
    for (const path of ['/', '/statistik/', ...[...codes, confidential].map((c) => `/lacak/${c}`)])
      await read(`page ${path}`, `${webUrl}${path}`);

    // The tracking JSON of every report (the confidential one answers 404).
    for (const code of [...codes, confidential]) await read(`tracking ${code}`, `${api}/reports/${code}`);
    expect((await fetch(`${api}/reports/${confidential}`)).status).toBe(404);

    // The first server-sent event of each public report: the view as it stands.
    for (const code of codes) {
      const controller = new AbortController();
      const res = await fetch(`${api}/reports/${code}/events`, { signal: controller.signal });
      expect([code, res.status, res.headers.get('content-type')]).toEqual([
        code,
        200,
        expect.stringMatching(/^text\/event-stream/),
      ]);
      const reader = res.body!.getReader();
      let text = '';
      while (!text.includes('\n\n')) {
        const { value, done } = await reader.read();
        if (done) break;
        text += Buffer.from(value).toString('utf8');
      }
      controller.abort();
      expect(text).toContain(code);
      scanned.push({ where: `first event of ${code}`, leaks: leaks(text) });
    }

    // Every statistic, in JSON and CSV.
    for (const dataset of [
      ...['day', 'channel', 'category', 'kota', 'kecamatan', 'kelurahan', 'unit'].map(
        (by) => `reports?by=${by}`,
      ),
      'units',
      'sla',
      'rejections',
      'map',
    ]) {
      const [name, query = ''] = dataset.split('?');
      await read(`stats ${dataset}`, `${api}/stats/${name}?${query}`);
      await read(`stats ${name}.csv?${query}`, `${api}/stats/${name}.csv?${query}`);
    }

    // The lists behind the Open311 front.
    const from = new Date(Date.now() - 86_400_000).toISOString();
    const to = new Date(Date.now() + 86_400_000).toISOString();
    const requests = await read('open311 requests', `${api}/open311/requests?from=${from}&to=${to}`);
    expect(JSON.parse(requests)).toHaveProperty('requests');
    await read('open311 updates', `${api}/open311/updates?from=${from}&to=${to}`);

    // The Open311 GeoReport API itself, in JSON and XML.
    const georeport = await read('georeport requests.json', `${open311Url}/requests.json`);
    expect(georeport).toContain(codes[0]);
    await read('georeport requests.xml', `${open311Url}/requests.xml`);
    await read('georeport servicerequestupdates.json', `${open311Url}/servicerequestupdates.json`);
    for (const code of [...codes, confidential])
      await read(`georeport request ${code}`, `${open311Url}/requests/${code}.json`);

    // The pages as a citizen's browser renders them, scripts and all.
    const page = await browser.newPage();
    try {
      for (const code of codes) {
        await page.goto(`${webUrl}/lacak/${code}`);
        await page.waitForSelector('#result:not([hidden]) [data-testid="state"]');
        scanned.push({ where: `rendered /lacak/${code}`, leaks: leaks(await page.content()) });
      }
      await page.goto(`${webUrl}/statistik/`);
      await page.waitForSelector('[data-testid="map"]');
      const rendered = await page.content();
      scanned.push({ where: 'rendered /statistik/', leaks: leaks(rendered) });
    } finally {
      await page.close();
    }

    // Everything answered, so that every body above was really read; only the confidential report is not found.
    expect(
      scanned.filter((x) => /\(\d+\)$/.test(x.where) && !x.where.endsWith('(200)')).map((x) => x.where),
    ).toEqual([`tracking ${confidential} (404)`, `georeport request ${confidential} (404)`]);
    expect(scanned.length).toBeGreaterThan(30);
    expect(scanned.filter((s) => s.leaks.length)).toEqual([]);
  });
});
