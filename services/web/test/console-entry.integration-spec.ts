import {
  capturedLogger,
  eventually,
  phonePhoto,
  startRecordingServer,
  startServiceProcess,
  testEnv,
  type RecordingServer,
  type ServiceProcess,
} from '@aduan/testing';
import exifr from 'exifr';
import type { Page } from 'playwright-core';
import { startWeb } from '../src/app';
import { createOfficers, signInApi, signInOnConsole, type OfficerAccount } from './support/officers';
import { screenshot, startStack, type Stack } from './support/stack';
import { freePort } from './support/status-process';

const CRM: OfficerAccount = {
  username: 'dewi.crm',
  password: 'dewi-password-123',
  displayName: 'Dewi (CRM)',
  role: 'crm_officer',
};
const DSDA: OfficerAccount = {
  username: 'joko.dsda',
  password: 'joko-password-123',
  displayName: 'Joko (DSDA)',
  role: 'unit_officer',
  unit: 'DSDA',
};

/** The citizen who walks in: what the pages and logs must never show. */
const CITIZEN = { name: 'Ani Lestari', phone: '0812-3456-7011', e164: '+6281234567011' };
const SERIAL = 'Serial-WALKIN-4242';

interface SmsPart {
  to: string;
  text: string;
  /** `<delivery id>#<part>/<parts>`: one delivery id, one message. */
  reference: string;
}

describe('entering a report in the officer console, in Chromium', () => {
  let stack: Stack;
  let sms: RecordingServer;
  let officer: ServiceProcess;
  let page: Page;

  beforeAll(async () => {
    const officerPort = await freePort();
    stack = await startStack('web_entry', { OFFICER_ENTRY_BASE_URL: `http://127.0.0.1:${officerPort}` });
    await createOfficers(stack.status.url, [CRM, DSDA]);
    // The outgoing-SMS gateway contract of @aduan/channel-sdk, as channel-officer's own tests stand it in.
    sms = await startRecordingServer(() => ({ status: 202, body: { id: `sms-${Date.now()}` } }));
    // channel-officer as it runs in production: its own process, on the stack's topics and database,
    // so the status service finds the photos it keeps in the media store.
    officer = await startServiceProcess('channel-officer', {
      OFFICER_PORT: String(officerPort),
      OFFICER_JWKS_URL: `${stack.status.url}/.well-known/jwks.json`,
      SMS_GATEWAY_URL: `${sms.url}/v1/messages`,
      SMS_GATEWAY_TOKEN: 'gateway-token',
      DATABASE_URL: stack.databaseUrl,
      KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: stack.topicPrefix,
    });
  });
  afterAll(async () => {
    await officer?.stop();
    await stack?.stop();
    await sms?.close();
  });
  beforeEach(async () => {
    page = await stack.browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'id-ID' });
  });
  afterEach(async () => {
    await page?.close();
  });

  const partsTo = (to: string) => sms.requests.map((r) => r.body as SmsPart).filter((p) => p.to === to);
  /** The text of every SMS part sent to one number, in order. */
  const smsTo = (to: string) =>
    partsTo(to)
      .map((p) => p.text)
      .join('');

  it('an officer enters a walk-in report with a photo: a report number, an SMS to the citizen, and the report with its photo in the queue', async () => {
    await signInOnConsole(page, stack.webUrl, CRM);
    // By keyboard from the top of the page to the New report link.
    await eventually(
      async () => {
        await page.keyboard.press('Tab');
        expect(await page.evaluate<string | undefined>('document.activeElement?.id')).toBe('new-report');
      },
      { timeoutMs: 5000, intervalMs: 10 },
    );
    await page.keyboard.press('Enter');
    const form = page.getByTestId('entry');
    await page.getByRole('heading', { name: 'Laporan baru' }).waitFor();

    await form.getByLabel('Datang langsung').check();
    const text = 'Saluran air depan Pasar Kenari meluap setiap hujan, warga datang ke kantor kelurahan';
    await form.getByLabel('Isi laporan').fill(text);
    // The categories are the API's: the router's list, not one written into the console.
    const options = await form.getByLabel('Kategori').locator('option').allTextContents();
    expect(options.length).toBeGreaterThan(10);
    await form.getByLabel('Kategori').selectOption('Saluran Air, Kali/Sungai');
    await form.getByLabel('Kelurahan atau alamat').fill('Kelurahan Kenari');
    await form.getByLabel('Titik koordinat (lintang, bujur)').fill('-6.1936, 106.8467');
    await form.getByLabel('Nama', { exact: true }).fill(CITIZEN.name);
    await form.getByLabel('Nomor HP').fill(CITIZEN.phone);

    // Not a photo, whatever its name says: refused beside the field, nothing kept on the form.
    await form.locator('input[type="file"]').setInputFiles({
      name: 'foto.jpg',
      mimeType: 'image/jpeg',
      buffer: Buffer.from('#!/bin/sh\necho hi\n'),
    });
    await eventually(async () =>
      expect(await page.getByTestId('entry-photo-problem').textContent()).toBe(
        'foto.jpg: bukan foto JPEG, PNG atau WebP.',
      ),
    );
    expect(await page.getByTestId('entry-photos').count()).toBe(0);

    const photo = await phonePhoto({ serial: SERIAL, shade: 90 });
    await form
      .locator('input[type="file"]')
      .setInputFiles({ name: 'saluran-meluap.jpg', mimeType: 'image/jpeg', buffer: photo });
    await page.locator('[data-testid="entry-photos"] [data-ready="yes"]').waitFor();
    expect(await page.getByTestId('entry-photo-problem').count()).toBe(0);
    // Usable at 1366 × 768: nothing runs off to the side.
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1366);
    await screenshot(page, 'console-entry-form');

    // Sent twice before the first answer (a double click that beat the button): one report.
    await page.evaluate(`(() => {
      const form = document.querySelector('form[data-testid="entry"]');
      form.requestSubmit();
      form.requestSubmit();
    })()`);
    await page.getByTestId('entry-done').waitFor();
    const code = (await page.getByTestId('entry-code').textContent())!;
    expect(code).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/);
    await expect(page.getByTestId('entry-ack').textContent()).resolves.toBe(
      'Tanda terima dengan nomor laporan dikirim lewat SMS ke nomor HP warga.',
    );
    await screenshot(page, 'console-entry-done');

    // The acknowledgement reaches the citizen's phone, once.
    await eventually(() => expect(smsTo(CITIZEN.e164)).toContain(code), { timeoutMs: 20_000 });
    const token = await signInApi(stack.status.url, CRM.username, CRM.password);
    const found = await eventually(
      async () => {
        const res = await fetch(
          `${stack.status.url}/v1/officer/reports?q=${encodeURIComponent('Pasar Kenari meluap')}`,
          {
            headers: { Authorization: `Bearer ${token}` },
          },
        );
        const body = (await res.json()) as { items: Array<{ trackingCode: string }> };
        expect(body.items.length).toBeGreaterThan(0);
        return body.items;
      },
      { timeoutMs: 20_000 },
    );
    expect(found.map((r) => r.trackingCode)).toEqual([code]);
    // One acknowledgement, however many parts it took.
    expect(new Set(partsTo(CITIZEN.e164).map((p) => p.reference.split('#')[0])).size).toBe(1);

    // In the queue of every open report (the CRM default lists TRIAGE, where the router puts a
    // report only after reading it; no router runs here), and in its detail with the photo,
    // shown without the phone's position or serial.
    await page.locator('#queue-state').selectOption('');
    await eventually(
      async () => {
        await page.getByRole('button', { name: 'Muat ulang' }).click();
        await page.locator(`[data-code="${code}"]`).waitFor({ timeout: 1000 });
      },
      { timeoutMs: 20_000 },
    );
    await page.locator(`[data-code="${code}"]`).click();
    await page.getByTestId('detail').waitFor();
    await expect(page.getByTestId('detail').textContent()).resolves.toContain('Datang langsung');
    const img = page.getByRole('img', { name: 'Foto dari pelapor 1' });
    await eventually(async () => expect(await img.getAttribute('src')).toMatch(/^blob:/));
    // What the console was given to show: the status service's copy, without EXIF.
    const reportId = /#\/reports\/([\w-]+)$/.exec(page.url())![1]!;
    const detail = (await (
      await fetch(`${stack.status.url}/v1/officer/reports/${reportId}`, {
        headers: { Authorization: `Bearer ${token}` },
      })
    ).json()) as { attachments: Array<{ url: string; contentType: string }> };
    expect(detail.attachments).toEqual([
      { url: expect.stringMatching(/\/media\/[0-9a-f]{64}$/), contentType: 'image/jpeg' },
    ]);
    const media = /[0-9a-f]{64}$/.exec(detail.attachments[0]!.url)![0];
    const shown = Buffer.from(
      await (
        await fetch(`${stack.status.url}/v1/officer/media/${media}`, {
          headers: { Authorization: `Bearer ${token}` },
        })
      ).arrayBuffer(),
    );
    expect(shown.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    expect(await exifr.gps(shown).catch(() => undefined)).toBeUndefined();
    expect(shown.includes(Buffer.from(SERIAL))).toBe(false);
    await screenshot(page, 'console-entry-detail');

    const html = await page.content();
    for (const trace of [CITIZEN.name, CITIZEN.e164, '3456-7011'])
      for (const where of [html, stack.webLogs.join('\n'), officer.lines.join('\n')])
        expect(where).not.toContain(trace);
  });

  it('offers the form to CRM officers and admins only, in English on request', async () => {
    await signInOnConsole(page, stack.webUrl, DSDA);
    expect(await page.locator('#new-report').count()).toBe(0);
    await page.goto(`${stack.webUrl}/console/#/laporan-baru`);
    await page.locator('#detail').waitFor();
    expect(await page.getByTestId('entry-form').count()).toBe(0);
    await page.getByRole('button', { name: 'Keluar', exact: true }).click();

    await signInOnConsole(page, stack.webUrl, CRM);
    await page.locator('#lang').click();
    await page.getByRole('link', { name: 'New report' }).click();
    const form = page.getByTestId('entry');
    await page.getByRole('heading', { name: 'New report' }).waitFor();
    await form.getByLabel('Walk-in').check();
    await form.getByRole('button', { name: 'Save report' }).click();
    await expect(page.getByTestId('entry-problem').textContent()).resolves.toBe(
      'Say what the citizen reports.',
    );
    await form.getByLabel('What the citizen reports').fill('Lampu taman mati');
    await form.getByLabel('Point (latitude, longitude)').fill('Monas');
    await form.getByRole('button', { name: 'Save report' }).click();
    await expect(page.getByTestId('entry-problem').textContent()).resolves.toMatch(/^A point is two numbers/);
  });

  it('passes only the entry API to channel-officer, and says the form is off where it is not configured', async () => {
    for (const path of [
      '/api/entries/health/ready',
      '/api/entries/media/' + 'a'.repeat(64),
      '/api/entries/v1/officer/x',
    ])
      expect((await fetch(`${stack.webUrl}${path}`)).status).toBe(404);
    const { logger } = capturedLogger('web-without-entry');
    const web = await startWeb({ WEB_PORT: '0', STATUS_BASE_URL: stack.status.url }, logger);
    try {
      const res = await fetch(`http://127.0.0.1:${web.port}/api/entries/v1/officer/entries`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ channel: 'phone', text: 'Pohon tumbang' }),
      });
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({
        code: 'OFFICER_ENTRY_OFF',
        message: expect.stringContaining('OFFICER_ENTRY_BASE_URL is not set'),
      });
    } finally {
      await web.stop();
    }
  });
});
