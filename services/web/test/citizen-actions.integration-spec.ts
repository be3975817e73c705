import { collectEvents, eventually } from '@aduan/testing';
import { Client } from 'pg';
import type { Page } from 'playwright-core';
import { signInApi } from './support/officers';
import { REPORTER_TRACES } from './support/seed';
import { ADMIN, screenshot, startStack, type Stack } from './support/stack';

// The status process inherits these: support on, and completion messages with the review link.
process.env['SUPPORT_KEY'] = 'web-test-support-key-0123456789abcdef';
process.env['PUBLIC_TRACKING_URL'] = 'https://aduan.example/lacak/{code}';

async function photo(): Promise<Buffer> {
  const sharp = (await import('sharp')).default;
  return sharp({ create: { width: 320, height: 240, channels: 3, background: { r: 40, g: 120, b: 200 } } })
    .jpeg()
    .toBuffer();
}

describe("the reporter's answer after Selesai and citizens' support, in Chromium", () => {
  let stack: Stack;
  let page: Page;
  let notifications: Array<{ reportId: string; state: string; message: string }>;

  beforeAll(async () => {
    stack = await startStack('web_citizen', { WEB_TRACKING_REFRESH_SECONDS: '1' });
    notifications = await collectEvents(stack.seeder.bus, 'aduan.notification.v1');
  });
  afterAll(async () => {
    await stack?.stop();
    delete process.env['SUPPORT_KEY'];
    delete process.env['PUBLIC_TRACKING_URL'];
  });
  afterEach(async () => {
    await page?.close();
  });

  /** An officer works the report to Selesai through the API; answers the key the reporter received. */
  async function completed(
    sourceId: string,
  ): Promise<{ reportId: string; trackingCode: string; key: string }> {
    const seeded = await stack.seeder.report({
      sourceId,
      text: 'Got mampet di Jl. Kenari II, air meluap ke jalan',
      unit: { code: 'DSDA', name: 'Dinas Sumber Daya Air' },
      outcome: 'ROUTED',
      category: 'Saluran Air, Kali/Sungai',
    });
    await stack.seeder.stored(stack.status.url, seeded);
    const token = await signInApi(stack.status.url, ADMIN.username, ADMIN.password);
    const base = `${stack.status.url}/v1/officer/reports/${seeded.reportId}`;
    const auth = { Authorization: `Bearer ${token}` };
    const act = async (action: string, body: Record<string, unknown> = {}) => {
      const { version } = (await (await fetch(base, { headers: auth })).json()) as { version: number };
      const res = await fetch(`${base}/${action}`, {
        method: 'POST',
        headers: { ...auth, 'Content-Type': 'application/json' },
        body: JSON.stringify({ version, ...body }),
      });
      if (res.status !== 200) throw new Error(`${action}: ${res.status} ${await res.text()}`);
    };
    await act('start');
    const form = new FormData();
    form.append('file', new Blob([await photo()], { type: 'image/jpeg' }), 'after.jpg');
    const upload = await fetch(`${base}/evidence`, { method: 'POST', headers: auth, body: form });
    const { id } = (await upload.json()) as { id: string };
    await act('follow-up', { note: 'Saluran sudah dikuras.', evidence: [id] });
    await act('validate', { decision: 'accept' });
    let key = '';
    await eventually(
      () => {
        const done = notifications.find((n) => n.reportId === seeded.reportId && n.state === 'COMPLETED');
        const k = done && /\/lacak\/[A-Z0-9-]+\?k=([A-Za-z0-9_-]+)/.exec(done.message)?.[1];
        expect(k).toBeTruthy();
        key = k!;
      },
      { timeoutMs: 30_000 },
    );
    return { ...seeded, key };
  }

  it('"Belum beres" on the page reopens the report to its unit with a new resolution clock', async () => {
    const r = await completed(`wamid.review-${Date.now()}`);
    page = await stack.browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'id-ID' });
    await page.goto(`${stack.webUrl}/lacak/${r.trackingCode}?k=${r.key}`);
    await eventually(async () => expect(await page.getByTestId('state').textContent()).toBe('Selesai'));
    // The key does not stay in the address bar.
    await eventually(() => expect(new URL(page.url()).search).toBe(''));
    await page.getByRole('button', { name: 'Belum beres' }).click();
    await eventually(async () =>
      expect(await page.locator('#citizen-actions').innerText()).toContain('Laporan dibuka kembali'),
    );
    await eventually(async () => expect(await page.getByTestId('state').textContent()).toBe('Proses'));
    await expect(page.getByTestId('track.unit').textContent()).resolves.toBe('Dinas Sumber Daya Air');
    await eventually(async () =>
      expect(await page.getByTestId('timeline').textContent()).toContain(
        'Pelapor menyatakan masalahnya belum beres',
      ),
    );
    await expect(page.getByRole('button', { name: 'Belum beres' }).count()).resolves.toBe(0);
    await screenshot(page, 'citizen-review-reopened-mobile');

    const db = new Client({ connectionString: stack.databaseUrl });
    await db.connect();
    try {
      const { rows } = await db.query<{ stage: string; met_at: Date | null }>(
        `SELECT stage, met_at FROM sla_clock WHERE report_id = $1 AND stage LIKE 'resolution_reopen_%'`,
        [r.reportId],
      );
      expect(rows).toEqual([{ stage: 'resolution_reopen_1', met_at: null }]);
    } finally {
      await db.end();
    }
    const html = await page.content();
    for (const trace of REPORTER_TRACES) expect(html).not.toContain(trace);
  });

  it('without the key nobody is asked; anyone may support, once, in English too', async () => {
    const r = await completed(`wamid.support-${Date.now()}`);
    page = await stack.browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'en-GB' });
    await page.goto(`${stack.webUrl}/lacak/${r.trackingCode}`);
    await eventually(async () => expect(await page.getByTestId('state').textContent()).toBe('Selesai'));
    await page.getByRole('button', { name: 'English' }).click();
    await eventually(async () =>
      expect(await page.getByTestId('supporters').textContent()).toBe('No citizen supports this report yet'),
    );
    await expect(page.getByRole('button', { name: 'Not fixed' }).count()).resolves.toBe(0);
    await page.getByRole('button', { name: 'Support', exact: true }).click();
    await eventually(async () =>
      expect(await page.getByTestId('supporters').textContent()).toBe('Citizens supporting this report: 1'),
    );
    await page.getByRole('button', { name: 'Support', exact: true }).click();
    await eventually(async () =>
      expect(await page.locator('#citizen-actions').innerText()).toContain(
        'You already support this report.',
      ),
    );
    await expect(page.getByTestId('supporters').textContent()).resolves.toBe(
      'Citizens supporting this report: 1',
    );
    await screenshot(page, 'citizen-support-en-mobile');

    // Another browser is another person.
    const other = await stack.browser.newPage({ locale: 'id-ID' });
    try {
      await other.goto(`${stack.webUrl}/lacak/${r.trackingCode}`);
      await other.getByRole('button', { name: 'Dukung', exact: true }).click();
      await eventually(async () =>
        expect(await other.getByTestId('supporters').textContent()).toBe('2 warga mendukung laporan ini'),
      );
    } finally {
      await other.close();
    }
  });
});
