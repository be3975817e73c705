import { eventually } from '@aduan/testing';
import type { Page } from 'playwright-core';
import { signInApi } from './support/officers';
import { REPORTER_TRACES } from './support/seed';
import { ADMIN, screenshot, startStack, type Stack } from './support/stack';

describe('citizen tracking site in Chromium', () => {
  let stack: Stack;
  let page: Page;

  beforeAll(async () => {
    stack = await startStack('web_tracking', { WEB_TRACKING_REFRESH_SECONDS: '1' });
  });
  afterAll(async () => {
    await stack?.stop();
  });
  beforeEach(async () => {
    page = await stack.browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'id-ID' });
  });
  afterEach(async () => {
    await page?.close();
  });

  it('shows state, unit and area of a report typed sloppily, and nothing about the reporter', async () => {
    const seeded = await stack.seeder.report({
      sourceId: `wamid.track-${Date.now()}`,
      text: 'Got mampet di Jl. Kramat Raya, hubungi saya di 0812-3456-7890 ya',
      unit: { code: 'DSDA', name: 'Dinas Sumber Daya Air' },
      outcome: 'ROUTED',
      category: 'Saluran Air, Kali/Sungai',
    });
    await stack.seeder.stored(stack.status.url, seeded);

    await page.goto(stack.webUrl);
    await page.getByRole('textbox').fill(`  ${seeded.trackingCode.toLowerCase().replace('-', ' ')} `);
    await page.getByRole('button', { name: 'Lacak' }).click();

    await expect(page.getByTestId('state').textContent()).resolves.toBe('Menunggu');
    await expect(page.getByTestId('track.unit').textContent()).resolves.toBe('Dinas Sumber Daya Air');
    await expect(page.getByTestId('track.area').textContent()).resolves.toBe(
      'Kel. Kenari, Kec. Senen, Kota Administrasi Jakarta Pusat',
    );
    await expect(page.getByTestId('track.category').textContent()).resolves.toBe('Saluran Air, Kali/Sungai');
    await expect(page.getByTestId('timeline').textContent()).resolves.toContain(
      'Laporan diterima dan diberi nomor.',
    );
    expect(new URL(page.url()).pathname).toBe(`/lacak/${seeded.trackingCode}`);
    await screenshot(page, 'tracking-found-mobile');

    const visible = await page.locator('body').innerText();
    const html = await page.content();
    for (const trace of REPORTER_TRACES) {
      expect(visible).not.toContain(trace);
      expect(html).not.toContain(trace);
    }
    for (const trace of REPORTER_TRACES) expect(stack.webLogs.join('\n')).not.toContain(trace);
  });

  it('follows the report while the page stays open', async () => {
    const seeded = await stack.seeder.report({
      sourceId: `wamid.live-${Date.now()}`,
      text: 'Lampu jalan mati di Jl. Kenari',
      unit: { code: 'DSDA', name: 'Dinas Sumber Daya Air' },
      outcome: 'ROUTED',
      category: 'Saluran Air, Kali/Sungai',
    });
    await stack.seeder.stored(stack.status.url, seeded);
    await page.goto(`${stack.webUrl}/?kode=${seeded.trackingCode.toLowerCase()}`);
    await eventually(async () => expect(await page.getByTestId('state').textContent()).toBe('Menunggu'));

    // An officer starts the work; nobody reloads the citizen's page.
    const token = await signInApi(stack.status.url, ADMIN.username, ADMIN.password);
    const headers = { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` };
    const detail = (await (
      await fetch(`${stack.status.url}/v1/officer/reports/${seeded.reportId}`, { headers })
    ).json()) as { version: number };
    const started = await fetch(`${stack.status.url}/v1/officer/reports/${seeded.reportId}/start`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ version: detail.version }),
    });
    expect(started.status).toBe(200);
    await eventually(async () => expect(await page.getByTestId('state').textContent()).toBe('Proses'), {
      timeoutMs: 10_000,
    });
    await expect(page.getByTestId('timeline').textContent()).resolves.toContain('Proses');
  });

  it('switches to English and keeps the official Indonesian label', async () => {
    const seeded = await stack.seeder.report({
      sourceId: `wamid.lang-${Date.now()}`,
      text: 'Pohon tumbang menutup jalan',
      unit: null,
      outcome: 'TRIAGE',
      category: 'Pohon',
    });
    await page.goto(`${stack.webUrl}/lacak/${seeded.trackingCode}`);
    await eventually(async () => expect(await page.getByTestId('state').textContent()).toBe('Menunggu'), {
      timeoutMs: 30_000,
    });
    await page.getByRole('button', { name: 'English' }).click();
    await expect(page.getByTestId('state').textContent()).resolves.toBe('Menunggu · Waiting');
    await expect(page.getByRole('heading', { level: 2 }).first().textContent()).resolves.toBe(
      'Follow-up history',
    );
    await page.setViewportSize({ width: 1280, height: 900 });
    await screenshot(page, 'tracking-english-desktop');
    await page.getByRole('button', { name: 'Bahasa Indonesia' }).click();
  });

  it('says plainly when a code is malformed or unknown', async () => {
    await page.goto(stack.webUrl);
    await page.getByRole('textbox').fill('abc');
    await page.getByRole('button', { name: 'Lacak' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('10 huruf dan angka');

    await page.getByRole('textbox').fill('ZZZZZ-ZZZZZ');
    await page.getByRole('button', { name: 'Lacak' }).click();
    await eventually(async () =>
      expect(await page.getByRole('status').textContent()).toContain('tidak ditemukan'),
    );
    await screenshot(page, 'tracking-not-found');
  });

  it('serves every page with a strict security policy and never caches report data', async () => {
    const page = await fetch(stack.webUrl);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    const api = await fetch(`${stack.webUrl}/api/status/v1/public/reports/ZZZZZ-ZZZZZ`);
    expect(api.status).toBe(404);
    expect(api.headers.get('cache-control')).toBe('no-store');
    const outside = await fetch(`${stack.webUrl}/api/status/metrics`);
    expect(outside.status).toBe(404);
  });
});
