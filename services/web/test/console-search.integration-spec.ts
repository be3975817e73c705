import { eventually } from '@aduan/testing';
import type { Page } from 'playwright-core';
import { createOfficers, signInOnConsole, type OfficerAccount } from './support/officers';
import { REPORTER_TRACES, type SeededReport } from './support/seed';
import { screenshot, startStack, type Stack } from './support/stack';

const CRM: OfficerAccount = {
  username: 'sari.crm',
  password: 'sari-password-123',
  displayName: 'Sari (CRM)',
  role: 'crm_officer',
};
const DBM: OfficerAccount = {
  username: 'joko.dbm',
  password: 'joko-password-123',
  displayName: 'Joko (DBM)',
  role: 'unit_officer',
  unit: 'DBM',
};

describe('officer console: search every report, with filters kept in the address', () => {
  let stack: Stack;
  let page: Page;
  let flood: SeededReport;
  let pothole: SeededReport;
  let drain: SeededReport;

  beforeAll(async () => {
    stack = await startStack('web_console_search');
    await createOfficers(stack.status.url, [CRM, DBM]);
    const run = Date.now();
    const seed = (
      label: string,
      text: string,
      category: string,
      unit: { code: string; name: string } | null,
    ) =>
      stack.seeder.report({
        sourceId: `wamid.search-${label}-${run}`,
        text,
        unit,
        outcome: unit ? 'ROUTED' : 'TRIAGE',
        category,
      });
    flood = await seed(
      'flood',
      'Banjir setinggi lutut di Jl. Kenari sejak subuh, hubungi 0812-3456-7890',
      'Banjir',
      null,
    );
    pothole = await seed(
      'pothole',
      'Jalan berlubang dalam di depan pasar Kenari, bahaya untuk motor',
      'Jalan',
      {
        code: 'DBM',
        name: 'Dinas Bina Marga',
      },
    );
    drain = await seed('drain', 'Got mampet dan berbau di gang Kenari', 'Saluran Air, Kali/Sungai', {
      code: 'DSDA',
      name: 'Dinas Sumber Daya Air',
    });
    for (const seeded of [flood, pothole, drain]) await stack.seeder.stored(stack.status.url, seeded);
  });
  afterAll(async () => {
    await stack?.stop();
  });
  beforeEach(async () => {
    page = await stack.browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'id-ID' });
  });
  afterEach(async () => {
    await page?.close();
  });

  const shown = () =>
    page.locator('#queue [data-code]').evaluateAll((links) => links.map((a) => a.getAttribute('data-code')));
  const expectShown = (codes: string[]) => eventually(async () => expect(await shown()).toEqual(codes));

  async function search(words: string): Promise<void> {
    await page.getByLabel('Cari semua laporan: nomor atau kata').fill(words);
    await page.getByRole('button', { name: 'Cari', exact: true }).click();
  }

  it('finds reports beyond the work queue by a word and by code, and a bookmarked view shows the same', async () => {
    await signInOnConsole(page, stack.webUrl, CRM);
    // The CRM officer's queue holds the report waiting for triage only.
    await expectShown([flood.trackingCode]);

    await search('kenari');
    // Still narrowed to the officer's default state; lifting it searches every state.
    await expectShown([flood.trackingCode]);
    await page.getByLabel('Status').selectOption('');
    await expectShown([drain.trackingCode, pothole.trackingCode, flood.trackingCode]);
    await expect(page.getByText('Hasil pencarian').isVisible()).resolves.toBe(true);

    await page.getByLabel('Kategori').selectOption('Jalan');
    await expectShown([pothole.trackingCode]);
    await screenshot(page, 'console-search');
    expect(new URL(page.url()).search).toBe(`?state=&q=kenari&category=Jalan`);

    // The address is the view: opened again, the same filters and the same reports.
    await page.goto(page.url());
    await expectShown([pothole.trackingCode]);
    await expect(page.getByLabel('Cari semua laporan: nomor atau kata').inputValue()).resolves.toBe('kenari');
    // The category list arrives on its own request, possibly after the results.
    await page.getByLabel('Kategori').locator('option').nth(1).waitFor({ state: 'attached' });
    await expect(page.getByLabel('Kategori').inputValue()).resolves.toBe('Jalan');

    await page.getByLabel('Kategori').selectOption('');
    await search(drain.trackingCode.toLowerCase().replace('-', ' '));
    await expectShown([drain.trackingCode]);
    await page.locator(`[data-code="${drain.trackingCode}"]`).click();
    await page.getByTestId('detail').waitFor();
    await expect(page.getByTestId('detail').textContent()).resolves.toContain('Got mampet');
    // The report opens beside the results, which stay as they were.
    await expectShown([drain.trackingCode]);

    await page.getByRole('button', { name: 'Hapus filter' }).click();
    await expectShown([flood.trackingCode]);
    expect(new URL(page.url()).search).toBe('');
    const text = (await page.locator('#queue').textContent()) ?? '';
    for (const trace of REPORTER_TRACES) expect(text).not.toContain(trace);
  });

  it('shows a report that arrives in an open queue, with nothing clicked or reloaded', async () => {
    await signInOnConsole(page, stack.webUrl, CRM);
    await page.locator('#queue-live[data-live="on"]').waitFor();
    await expectShown([flood.trackingCode]);
    const arrived = await stack.seeder.report({
      sourceId: `wamid.search-live-${Date.now()}`,
      text: 'Pohon tumbang menutup jalan di Kenari',
      unit: null,
      outcome: 'TRIAGE',
      category: 'Pohon',
    });
    // Well inside the queue's one-minute refresh: only the live stream can bring it this soon.
    await eventually(async () => expect(await shown()).toEqual([flood.trackingCode, arrived.trackingCode]), {
      timeoutMs: 20_000,
    });
    await screenshot(page, 'console-live');
  });

  it("shows a unit officer only its unit's reports, and names a filter the service refused", async () => {
    await signInOnConsole(page, stack.webUrl, DBM);
    await page.goto(`${stack.webUrl}/console/?q=kenari&state=`);
    await expectShown([pothole.trackingCode]);

    await page.getByLabel('Diterima sejak').fill('2030-01-02');
    await page.getByLabel('Diterima sampai').fill('2030-01-01');
    await eventually(async () =>
      expect(await page.getByTestId('flash-error').textContent()).toBe(
        'Isian belum lengkap atau tidak sah: Diterima sejak',
      ),
    );
    await expect(page.getByLabel('Diterima sejak').getAttribute('aria-invalid')).resolves.toBe('true');
    await expectShown([]);
  });
});
