import { join } from 'node:path';
import { eventually } from '@aduan/testing';
import type { Page } from 'playwright-core';
import { signInApi } from './support/officers';
import { REPORTER_TRACES, type SeededReport } from './support/seed';
import { ADMIN, SCREENSHOTS, screenshot, startStack, type Stack } from './support/stack';

/**
 * The tracking page follows a report live over server-sent events (ADR 0047). The site polls
 * only once an hour here, so every change the page shows within seconds came over the stream.
 */
describe('live tracking in Chromium', () => {
  let stack: Stack;
  let page: Page;
  let token: string;

  beforeAll(async () => {
    // Answers must come within 2 s; a stream stays silent longer than that between heartbeats.
    stack = await startStack('web_live_tracking', {
      WEB_TRACKING_REFRESH_SECONDS: '3600',
      WEB_PROXY_TIMEOUT_MS: '2000',
    });
    token = await signInApi(stack.status.url, ADMIN.username, ADMIN.password);
  });
  afterAll(async () => {
    await stack?.stop();
  });
  afterEach(async () => {
    await page?.close();
  });

  async function seed(label: string): Promise<SeededReport> {
    const seeded = await stack.seeder.report({
      sourceId: `wamid.${label}-${Date.now()}`,
      text: 'Got mampet di Jl. Kramat Raya, hubungi saya di 0812-3456-7890 ya',
      unit: { code: 'DSDA', name: 'Dinas Sumber Daya Air' },
      outcome: 'ROUTED',
      category: 'Saluran Air, Kali/Sungai',
    });
    await stack.seeder.stored(stack.status.url, seeded);
    return seeded;
  }

  /** An officer starts the work through the status service's officer API. */
  async function startWork(seeded: SeededReport): Promise<void> {
    const headers = { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` };
    const detail = (await (
      await fetch(`${stack.status.url}/v1/officer/reports/${seeded.reportId}`, { headers })
    ).json()) as { version: number };
    const res = await fetch(`${stack.status.url}/v1/officer/reports/${seeded.reportId}/start`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ version: detail.version }),
    });
    expect(res.status).toBe(200);
  }

  /** Set once the page has loaded; a reload would lose it. */
  async function markPage(): Promise<void> {
    await page.evaluate(() => Object.assign(globalThis, { loadedOnce: 'yes' }));
  }
  const stillSamePage = () =>
    page.evaluate(() => (globalThis as unknown as { loadedOnce?: string }).loadedOnce);

  async function live(): Promise<void> {
    await eventually(
      async () => expect(await page.getByTestId('freshness').getAttribute('data-mode')).toBe('live'),
      { timeoutMs: 10_000 },
    );
  }

  const focused = () => page.evaluate<string | undefined>('document.activeElement?.id');

  function noReporterData(text: string): void {
    for (const trace of REPORTER_TRACES) expect(text).not.toContain(trace);
  }

  it('in Bahasa Indonesia, on a phone: the timeline changes as the officer acts, without a reload', async () => {
    const seeded = await seed('live-id');
    page = await stack.browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'id-ID' });
    const navigations: string[] = [];
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) navigations.push(frame.url());
    });

    // Keyboard only: from the top of the page to the code field, then Enter.
    await page.goto(stack.webUrl);
    for (let i = 0; i < 5; i++) {
      if ((await focused()) === 'code') break;
      await page.keyboard.press('Tab');
    }
    expect(await focused()).toBe('code');
    await page.keyboard.type(seeded.trackingCode.toLowerCase());
    await page.keyboard.press('Enter');

    await eventually(async () => expect(await page.getByTestId('state').textContent()).toBe('Menunggu'));
    await live();
    await expect(page.getByTestId('freshness').textContent()).resolves.toContain('Langsung');
    await expect(page.getByTestId('area-map').textContent()).resolves.toContain('Kel. Kenari, Kec. Senen');
    await expect(page.locator('[data-testid="area-map"] svg[role="img"]').count()).resolves.toBe(1);
    await markPage();
    const before = await page.getByTestId('timeline').locator('li').count();

    await startWork(seeded);

    await eventually(async () => expect(await page.getByTestId('state').textContent()).toBe('Proses'), {
      timeoutMs: 10_000,
      intervalMs: 100,
    });
    await expect(page.getByTestId('timeline').locator('li').count()).resolves.toBe(before + 1);
    await expect(page.getByTestId('timeline').locator('li').first().textContent()).resolves.toContain(
      'Proses',
    );
    await expect(page.locator('#announce').textContent()).resolves.toContain('status laporan kini Proses');
    await expect(page.locator('#announce').getAttribute('aria-live')).resolves.toBe('polite');
    expect(await stillSamePage()).toBe('yes');
    // One navigation to the site; the code then only rewrote the address (no second load).
    expect(navigations.filter((url) => !url.includes('/lacak/'))).toHaveLength(1);

    await screenshot(page, 'live-tracking-id-mobile');
    process.stdout.write(`screenshot: ${join(SCREENSHOTS, 'live-tracking-id-mobile.png')}\n`);
    noReporterData(await page.locator('body').innerText());
    noReporterData(await page.content());
  });

  it('in English: the same change arrives live and is announced in English', async () => {
    const seeded = await seed('live-en');
    page = await stack.browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
    await page.goto(`${stack.webUrl}/lacak/${seeded.trackingCode}`);
    await page.getByRole('button', { name: 'English' }).click();
    await eventually(async () =>
      expect(await page.getByTestId('state').textContent()).toBe('Menunggu · Waiting'),
    );
    await live();
    await expect(page.getByTestId('freshness').textContent()).resolves.toContain('Live');
    await expect(page.getByRole('heading', { name: 'Follow-up history' }).count()).resolves.toBe(1);
    await markPage();

    await startWork(seeded);

    await eventually(
      async () => expect(await page.getByTestId('state').textContent()).toBe('Proses · In progress'),
      { timeoutMs: 10_000, intervalMs: 100 },
    );
    await expect(page.locator('#announce').textContent()).resolves.toContain(
      'the report is now Proses · In progress',
    );
    expect(await stillSamePage()).toBe('yes');
    await screenshot(page, 'live-tracking-en-desktop');
    process.stdout.write(`screenshot: ${join(SCREENSHOTS, 'live-tracking-en-desktop.png')}\n`);
    await page.getByRole('button', { name: 'Bahasa Indonesia' }).click();
  });

  it('falls back to polling when the stream is refused, and shows the area in words without the map', async () => {
    const seeded = await seed('live-fallback');
    page = await stack.browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'id-ID' });
    // The stream answers 503 (too many open) and boundaries cannot be fetched; this page polls every second.
    await page.route('**/events', (route) =>
      route.fulfill({ status: 503, contentType: 'application/json', body: '{"statusCode":503}' }),
    );
    await page.route('**/api/areas/**', (route) => route.abort());
    await page.route(`**/lacak/${seeded.trackingCode}`, async (route) => {
      const answer = await route.fetch();
      const body = (await answer.text()).replace('content="3600"', 'content="1"');
      await route.fulfill({ response: answer, body });
    });
    await page.goto(`${stack.webUrl}/lacak/${seeded.trackingCode}`);
    await eventually(async () => expect(await page.getByTestId('state').textContent()).toBe('Menunggu'));
    await expect(page.getByTestId('area-map').textContent()).resolves.toContain('peta tidak dapat dimuat');
    await expect(page.getByTestId('area-map').textContent()).resolves.toContain('Kel. Kenari');
    await eventually(async () =>
      expect(await page.getByTestId('freshness').getAttribute('data-mode')).toBe('polling'),
    );
    await markPage();

    await startWork(seeded);
    await eventually(async () => expect(await page.getByTestId('state').textContent()).toBe('Proses'), {
      timeoutMs: 10_000,
    });
    expect(await stillSamePage()).toBe('yes');
  });

  it('streams through the site unbuffered, past the answer timeout, and answers 404 for an unknown code', async () => {
    const seeded = await seed('live-proxy');
    const controller = new AbortController();
    const res = await fetch(`${stack.webUrl}/api/status/v1/public/reports/${seeded.trackingCode}/events`, {
      headers: { Accept: 'text/event-stream' },
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(res.headers.get('x-accel-buffering')).toBe('no');
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const readUntil = async (needle: string) => {
      while (!text.includes(needle)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${needle}: ${text}`);
        text += decoder.decode(value, { stream: true });
      }
    };
    await readUntil('event: report');
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await startWork(seeded);
    await readUntil('"state":"IN_PROGRESS"');
    noReporterData(text);
    controller.abort();

    const unknown = await fetch(`${stack.webUrl}/api/status/v1/public/reports/ZZZZZ-ZZZZZ/events`);
    expect(unknown.status).toBe(404);
    const json = await fetch(`${stack.webUrl}/api/status/v1/public/reports/${seeded.trackingCode}`);
    expect(json.headers.get('cache-control')).toBe('private, no-cache');
    const etag = json.headers.get('etag')!;
    const again = await fetch(`${stack.webUrl}/api/status/v1/public/reports/${seeded.trackingCode}`, {
      headers: { 'If-None-Match': etag },
    });
    expect(again.status).toBe(304);
  });
});
