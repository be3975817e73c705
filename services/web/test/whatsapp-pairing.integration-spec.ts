import { createServer, type Server } from 'node:http';
import { capturedLogger } from '@aduan/testing';
import type { Browser, Page } from 'playwright-core';
import { startWeb } from '../src/app';
import { launchChromium } from './support/browser';

const ADMIN = 'admin-token';
const CLERK = 'crm-officer-token';
// A 3×3 checkerboard: enough for the browser to draw a real image.
const QR_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="120" viewBox="0 0 3 3"><rect width="3" height="3" fill="#fff"/><path d="M0 0h1v1h-1zM2 0h1v1h-1zM1 1h1v1h-1zM0 2h1v1h-1zM2 2h1v1h-1z"/></svg>';

/**
 * Stands in for channel-whatsapp's pairing API (GET /v1/officer/whatsapp/pairing and its
 * qr.svg), answering as it does: 401 without a token, 403 to a role other than admin, the state
 * and the image to an admin. `state` is what the number is doing now.
 */
function fakeWhatsapp(): Promise<{
  server: Server;
  url: string;
  seen: string[];
  state: Record<string, unknown>;
}> {
  const seen: string[] = [];
  const state: Record<string, unknown> = {
    state: 'waiting_for_scan',
    since: new Date().toISOString(),
    qr: true,
  };
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url} ${req.headers.authorization ?? '-'}`);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    const auth = req.headers.authorization;
    if (!auth) return json(401, { statusCode: 401, message: 'an officer token is required' });
    if (auth !== `Bearer ${ADMIN}`)
      return json(403, { statusCode: 403, message: 'role crm_officer may not pair the WhatsApp number' });
    if (req.url === '/v1/officer/whatsapp/pairing') return json(200, state);
    if (req.url === '/v1/officer/whatsapp/pairing/qr.svg' && state['qr']) {
      res.writeHead(200, { 'content-type': 'image/svg+xml', 'cache-control': 'no-store' });
      return void res.end(QR_SVG);
    }
    json(404, { statusCode: 404, message: 'no QR code is waiting to be scanned' });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        server,
        url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
        seen,
        state,
      }),
    ),
  );
}

describe('the WhatsApp pairing page and its proxy to channel-whatsapp', () => {
  const { logger } = capturedLogger('web');
  let whatsapp: Awaited<ReturnType<typeof fakeWhatsapp>>;
  let web: Awaited<ReturnType<typeof startWeb>>;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    whatsapp = await fakeWhatsapp();
    web = await startWeb(
      // No status service is needed for this page; the URL only has to be valid.
      { WEB_PORT: '0', STATUS_BASE_URL: 'http://127.0.0.1:9', WHATSAPP_BASE_URL: whatsapp.url },
      logger,
    );
    base = `http://127.0.0.1:${web.port}`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await new Promise((resolve) => whatsapp?.server.close(resolve));
  });

  const get = (path: string, token?: string) =>
    fetch(`${base}${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});

  describe('over HTTP', () => {
    it('forwards the state and the QR image with the officer token, uncached', async () => {
      const state = await get('/api/whatsapp/v1/officer/whatsapp/pairing', ADMIN);
      expect(state.status).toBe(200);
      expect(state.headers.get('cache-control')).toBe('no-store');
      expect(await state.json()).toMatchObject({ state: 'waiting_for_scan', qr: true });
      const image = await get('/api/whatsapp/v1/officer/whatsapp/pairing/qr.svg', ADMIN);
      expect(image.status).toBe(200);
      expect(image.headers.get('content-type')).toBe('image/svg+xml');
      expect(await image.text()).toBe(QR_SVG);
    });

    it("passes on channel-whatsapp's refusals: 401 without a token, 403 to a non-admin", async () => {
      expect((await get('/api/whatsapp/v1/officer/whatsapp/pairing')).status).toBe(401);
      const clerk = await get('/api/whatsapp/v1/officer/whatsapp/pairing/qr.svg', CLERK);
      expect(clerk.status).toBe(403);
      expect(await clerk.text()).not.toContain('<svg');
    });

    it('reaches nothing else of channel-whatsapp', async () => {
      const before = whatsapp.seen.length;
      for (const path of [
        '/api/whatsapp/health/ready',
        '/api/whatsapp/metrics',
        '/api/whatsapp/webhooks/sms',
        '/api/whatsapp/media/abc',
        '/api/whatsapp/v1/officer/whatsapp/pairing/../../../metrics',
      ]) {
        const res = await get(path, ADMIN);
        expect([path, res.status]).toEqual([path, 404]);
      }
      expect(whatsapp.seen.length).toBe(before);
    });

    it('says the page is off when WHATSAPP_BASE_URL is not set', async () => {
      const off = await startWeb({ WEB_PORT: '0', STATUS_BASE_URL: 'http://127.0.0.1:9' }, logger);
      try {
        const res = await fetch(`http://127.0.0.1:${off.port}/api/whatsapp/v1/officer/whatsapp/pairing`);
        expect(res.status).toBe(503);
        expect(await res.json()).toMatchObject({ code: 'WHATSAPP_PAIRING_OFF' });
      } finally {
        await off.stop();
      }
    });
  });

  describe('in Chromium', () => {
    let page: Page;
    beforeEach(async () => {
      page = await browser.newPage({ locale: 'id-ID' });
    });
    afterEach(async () => {
      await page?.close();
    });

    /** What the console keeps after an officer signed in (console/src/api/client.ts; the page itself reads it with public/assets/officer-api.mjs). */
    const signedInAs = async (token: string, role: string) => {
      const session = {
        accessToken: token,
        expiresAt: new Date(Date.now() + 600_000).toISOString(),
        user: { role, displayName: role },
      };
      await page.addInitScript({
        content: `sessionStorage.setItem('aduan.officer.session', ${JSON.stringify(JSON.stringify(session))})`,
      });
    };

    it('shows an admin the QR code to scan, then that the number is connected', async () => {
      whatsapp.state['state'] = 'waiting_for_scan';
      whatsapp.state['qr'] = true;
      await signedInAs(ADMIN, 'admin');
      await page.goto(`${base}/console/whatsapp/`);
      await page.getByText('Menunggu pemindaian kode QR di bawah.').waitFor();
      const qr = page.getByTestId('pairing-qr');
      await qr.waitFor({ state: 'visible' });
      // Drawn, not only referenced: the blob holds the SVG channel-whatsapp served.
      await page.waitForFunction(
        `(() => { const img = document.querySelector('[data-testid="pairing-qr"]'); return img.complete && img.naturalWidth === 120; })()`,
      );
      expect(await qr.getAttribute('src')).toMatch(/^blob:/);

      // The phone scanned it: the next refresh says so and the code goes away.
      Object.assign(whatsapp.state, { state: 'connected', qr: false });
      await page.getByText('Tersambung: pesan warga diterima dan dijawab.').waitFor({ timeout: 10_000 });
      await qr.waitFor({ state: 'hidden' });
    });

    it('shows an admin why the number is not connected and when it tries again', async () => {
      Object.assign(whatsapp.state, {
        state: 'auth_failure',
        reason: 'Unable to restore the session',
        attempt: 2,
        nextAttemptAt: new Date(Date.now() + 4000).toISOString(),
        qr: false,
      });
      await signedInAs(ADMIN, 'admin');
      await page.goto(`${base}/console/whatsapp/`);
      await page.getByText(/^Login gagal; menyambung ulang otomatis/).waitFor();
      expect(await page.getByTestId('pairing-reason').textContent()).toBe('Unable to restore the session');
      expect(await page.getByTestId('pairing-attempt').textContent()).toBe('2');
    });

    it('shows another officer no code, only that administrators pair the number', async () => {
      Object.assign(whatsapp.state, { state: 'waiting_for_scan', qr: true });
      await signedInAs(CLERK, 'crm_officer');
      await page.goto(`${base}/console/whatsapp/`);
      await page.getByText('Hanya admin yang boleh menautkan nomor WhatsApp.').waitFor();
      expect(await page.getByTestId('pairing-qr').isVisible()).toBe(false);
    });

    it('asks someone who is not signed in to sign in on the console first', async () => {
      await page.goto(`${base}/console/whatsapp/`);
      await page.getByText('Masuk dulu di konsol sebagai admin.').waitFor();
    });
  });
});
