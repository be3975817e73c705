import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  capturedLogger,
  eventually,
  startServiceProcess,
  testEnv,
  type ServiceProcess,
} from '@aduan/testing';
import type { Locator, Page } from 'playwright-core';
import { startWeb } from '../src/app';
import { createOfficers, signInOnConsole, type OfficerAccount } from './support/officers';
import { screenshot, startStack, type Stack } from './support/stack';
import { freePort } from './support/status-process';

const CRM: OfficerAccount = {
  username: 'sari.crm',
  password: 'sari-password-123',
  displayName: 'Sari (CRM)',
  role: 'crm_officer',
};

const FLOOD_LINK = 'https://warta-ibukota.example/megapolitan/2026/11/30/banjir-di-kampung-melayu';

/** A news portal's RSS feed, as channel-media reads it: one flood in Kampung Melayu, one pile of rubbish in Tebet. */
const FEED = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
  <channel>
    <title>Warta Ibukota - Megapolitan</title>
    <link>https://warta-ibukota.example/megapolitan</link>
    <description>Berita terkini seputar Jakarta</description>
    <item>
      <title>Banjir 70 Sentimeter Genangi Kampung Melayu Pagi Ini</title>
      <link>${FLOOD_LINK}</link>
      <guid isPermaLink="false">wi-console-0001</guid>
      <pubDate>Mon, 30 Nov 2026 07:10:00 +0700</pubDate>
      <description><![CDATA[<p>Kali Ciliwung meluap dan merendam permukiman warga di Kampung Melayu, Jatinegara.</p>]]></description>
    </item>
    <item>
      <title>Sampah Menumpuk di Pinggir Jalan Kelurahan Tebet Timur</title>
      <link>https://warta-ibukota.example/megapolitan/2026/11/30/sampah-tebet-timur</link>
      <guid isPermaLink="false">wi-console-0002</guid>
      <pubDate>Mon, 30 Nov 2026 06:40:00 +0700</pubDate>
      <description><![CDATA[<p>Sampah rumah tangga belum diangkut selama tiga hari.</p>]]></description>
    </item>
  </channel>
</rss>`;

async function servePortal(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(FEED),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/rss/megapolitan`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('news candidates in the officer console, in Chromium', () => {
  let stack: Stack;
  let portal: Awaited<ReturnType<typeof servePortal>>;
  let media: ServiceProcess;
  let page: Page;

  beforeAll(async () => {
    portal = await servePortal();
    const mediaPort = await freePort();
    stack = await startStack('web_news', { NEWS_BASE_URL: `http://127.0.0.1:${mediaPort}` });
    await createOfficers(stack.status.url, [CRM]);
    // channel-media as it runs in production: its own process, on the stack's topics and database.
    media = await startServiceProcess('channel-media', {
      NEWS_PORT: String(mediaPort),
      NEWS_FEEDS: `Warta Ibukota=${portal.url}`,
      NEWS_POLL_INTERVAL_SECONDS: '1',
      OFFICER_JWKS_URL: `${stack.status.url}/.well-known/jwks.json`,
      DATABASE_URL: stack.databaseUrl,
      KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: stack.topicPrefix,
    });
  });
  afterAll(async () => {
    await media?.stop();
    await stack?.stop();
    await portal?.close();
  });
  beforeEach(async () => {
    page = await stack.browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'id-ID' });
    await signInOnConsole(page, stack.webUrl, CRM);
  });
  afterEach(async () => {
    await page?.close();
  });

  async function candidate(title: string): Promise<Locator> {
    await page.getByRole('link', { name: 'Berita media massa' }).click();
    await page.getByRole('heading', { name: 'Berita media massa' }).waitFor();
    const card = page.locator('li[data-candidate]', { hasText: title });
    await eventually(
      async () => {
        await page.getByRole('button', { name: 'Muat ulang' }).click();
        await card.waitFor({ timeout: 1000 });
      },
      { timeoutMs: 20_000 },
    );
    return card;
  }

  it('shows a pending news item with its outlet, link and place; Promote makes it a report citizens can track', async () => {
    const card = await candidate('Kampung Melayu');
    await expect(card.getByTestId('candidate-outlet').textContent()).resolves.toBe('Warta Ibukota');
    await expect(card.getByTestId('candidate-place').textContent()).resolves.toBe('Kel. Kampung Melayu');
    await expect(card.getByRole('link', { name: 'Baca artikel' }).getAttribute('href')).resolves.toBe(
      FLOOD_LINK,
    );
    await screenshot(page, 'console-news-candidates');

    await card.getByRole('button', { name: 'Jadikan laporan' }).click();
    const done = await eventually(async () => {
      const text = await page.getByTestId('flash-success').textContent();
      expect(text).toMatch(/^Laporan [0-9A-Z]{5}-[0-9A-Z]{5} dibuat dari berita ini\.$/);
      return text!;
    });
    const code = /[0-9A-Z]{5}-[0-9A-Z]{5}/.exec(done)![0];
    await eventually(async () => expect(await card.count()).toBe(0));

    await page.getByLabel('Status').selectOption('promoted');
    await eventually(async () =>
      expect(await page.getByTestId('candidates').textContent()).toContain(`Laporan ${code}`),
    );

    // The report reached the status service: citizens can follow it by its code, with the outlet's words.
    await page.goto(`${stack.webUrl}/lacak/${code}`);
    await eventually(
      async () =>
        expect(await page.locator('main').textContent()).toContain(
          'Banjir 70 Sentimeter Genangi Kampung Melayu Pagi Ini',
        ),
      { timeoutMs: 20_000 },
    );
    await expect(page.locator('main').textContent()).resolves.toContain(code);
  });

  it('dismisses a news item with the reason the officer gives', async () => {
    const card = await candidate('Tebet Timur');
    await card.getByRole('button', { name: 'Abaikan', exact: true }).click();
    await card.getByRole('button', { name: 'Abaikan berita ini' }).click();
    await expect(page.getByTestId('flash-error').textContent()).resolves.toBe(
      'Tuliskan alasan berita ini diabaikan.',
    );
    await card.getByLabel('Alasan diabaikan').fill('Sudah ditangani Sudin Lingkungan Hidup kemarin');

    // A refresh landing while the officer types (Reload, or the page's own timer) keeps the reason.
    const before = await card.elementHandle();
    await page.getByRole('button', { name: 'Muat ulang' }).click();
    await eventually(async () => expect(await before!.evaluate((li) => li.isConnected)).toBe(false));
    await expect(card.getByLabel('Alasan diabaikan').inputValue()).resolves.toBe(
      'Sudah ditangani Sudin Lingkungan Hidup kemarin',
    );

    await card.getByRole('button', { name: 'Abaikan berita ini' }).click();
    await eventually(async () =>
      expect(await page.getByTestId('flash-success').textContent()).toBe('Berita diabaikan.'),
    );
    await eventually(async () => expect(await card.count()).toBe(0));
    await page.getByLabel('Status').selectOption('dismissed');
    await eventually(async () =>
      expect(await page.getByTestId('candidates').textContent()).toContain(
        'Diabaikan: Sudah ditangani Sudin Lingkungan Hidup kemarin',
      ),
    );
  });

  it('sends an officer who is not signed in to the console first', async () => {
    const stranger = await stack.browser.newPage({ locale: 'id-ID' });
    try {
      await stranger.goto(`${stack.webUrl}/console/news/`);
      await expect(stranger.locator('#signed-out').textContent()).resolves.toContain(
        'Masuk di Konsol Petugas terlebih dahulu',
      );
      await expect(stranger.getByTestId('candidates').isVisible()).resolves.toBe(false);
    } finally {
      await stranger.close();
    }
  });

  it("reaches channel-media's candidate API only, and says so when it is not configured", async () => {
    const outside = await fetch(`${stack.webUrl}/api/news/health/ready`);
    expect(outside.status).toBe(404);
    expect(((await outside.json()) as { message: string }).message).toContain(
      '/api/news/v1/officer/news/candidates',
    );
    expect((await fetch(`${stack.webUrl}/api/news/v1/officer/news/candidates/../../../metrics`)).status).toBe(
      404,
    );
    // Forwarded: channel-media itself refuses a request without an officer token.
    expect((await fetch(`${stack.webUrl}/api/news/v1/officer/news/candidates`)).status).toBe(401);

    const { logger } = capturedLogger('web');
    const bare = await startWeb({ WEB_PORT: '0', STATUS_BASE_URL: stack.status.url }, logger);
    try {
      const off = await fetch(`http://127.0.0.1:${bare.port}/api/news/v1/officer/news/candidates`);
      expect(off.status).toBe(503);
      expect(await off.json()).toMatchObject({ code: 'NEWS_OFF' });
    } finally {
      await bare.stop();
    }
  });
});
