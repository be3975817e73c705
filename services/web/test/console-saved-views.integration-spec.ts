import { eventually } from '@aduan/testing';
import type { Page } from 'playwright-core';
import { createOfficers, signInOnConsole, type OfficerAccount } from './support/officers';
import type { SeededReport } from './support/seed';
import { startStack, type Stack } from './support/stack';

const CRM: OfficerAccount = {
  username: 'dewi.crm',
  password: 'dewi-password-123',
  displayName: 'Dewi (CRM)',
  role: 'crm_officer',
};
const OTHER: OfficerAccount = {
  username: 'bayu.crm',
  password: 'bayu-password-123',
  displayName: 'Bayu (CRM)',
  role: 'crm_officer',
};

describe('officer console: saved views, kept per officer by the status service', () => {
  let stack: Stack;
  const pages: Page[] = [];
  let flood: SeededReport;
  let pothole: SeededReport;

  beforeAll(async () => {
    stack = await startStack('web_console_saved_views');
    await createOfficers(stack.status.url, [CRM, OTHER]);
    const run = Date.now();
    flood = await stack.seeder.report({
      sourceId: `wamid.views-flood-${run}`,
      text: 'Banjir di gang Kenari sejak pagi',
      unit: null,
      outcome: 'TRIAGE',
      category: 'Banjir',
    });
    pothole = await stack.seeder.report({
      sourceId: `wamid.views-pothole-${run}`,
      text: 'Jalan berlubang di depan pasar Kenari',
      unit: { code: 'DBM', name: 'Dinas Bina Marga' },
      outcome: 'ROUTED',
      category: 'Jalan',
    });
    for (const seeded of [flood, pothole]) await stack.seeder.stored(stack.status.url, seeded);
  });
  afterAll(async () => {
    await stack?.stop();
  });
  afterEach(async () => {
    for (const page of pages.splice(0)) await page.close();
  });

  /** A page of its own browser context: nothing of the other pages' storage is there. */
  async function signedIn(account: OfficerAccount): Promise<Page> {
    const page = await stack.browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'id-ID' });
    pages.push(page);
    await signInOnConsole(page, stack.webUrl, account);
    return page;
  }
  const shown = (page: Page) =>
    page.locator('#queue [data-code]').evaluateAll((links) => links.map((a) => a.getAttribute('data-code')));
  const expectShown = (page: Page, codes: string[]) =>
    eventually(async () => expect(await shown(page)).toEqual(codes));
  const savedNames = (page: Page) =>
    page.locator('#saved-views .apply').evaluateAll((buttons) => buttons.map((b) => b.textContent));

  it('saves the filters under a name, shows them after a fresh sign-in, applies and deletes them', async () => {
    let page = await signedIn(CRM);
    await expectShown(page, [flood.trackingCode]);
    await expect(page.getByText('Belum ada. Atur filter, beri nama, lalu simpan.').isVisible()).resolves.toBe(
      true,
    );

    await page.getByLabel('Status').selectOption('');
    await page.getByLabel('Kategori').selectOption('Jalan');
    await expectShown(page, [pothole.trackingCode]);
    await page.getByLabel('Nama tampilan').fill('Jalan, semua status');
    await page.getByRole('button', { name: 'Simpan filter ini' }).click();
    await eventually(async () =>
      expect(await page.getByTestId('flash-success').textContent()).toBe(
        'Tampilan "Jalan, semua status" disimpan.',
      ),
    );
    await expect(
      page.getByRole('button', { name: 'Terapkan Jalan, semua status' }).getAttribute('aria-pressed'),
    ).resolves.toBe('true');

    // Another browser, another sign-in: the view is the service's, not this browser's.
    page = await signedIn(CRM);
    await expectShown(page, [flood.trackingCode]);
    await eventually(async () => expect(await savedNames(page)).toEqual(['Jalan, semua status']));
    const apply = page.getByRole('button', { name: 'Terapkan Jalan, semua status' });
    await expect(apply.getAttribute('aria-pressed')).resolves.toBe('false');
    await apply.click();
    await expectShown(page, [pothole.trackingCode]);
    expect(new URL(page.url()).search).toBe('?state=&category=Jalan');
    await expect(page.getByLabel('Kategori').inputValue()).resolves.toBe('Jalan');
    await expect(apply.getAttribute('aria-pressed')).resolves.toBe('true');

    // Another officer has views of their own only.
    const other = await signedIn(OTHER);
    await other.getByRole('heading', { name: 'Tampilan tersimpan' }).waitFor();
    await expect(savedNames(other)).resolves.toEqual([]);

    await page.getByRole('button', { name: 'Hapus tampilan Jalan, semua status' }).click();
    await eventually(async () =>
      expect(await page.getByTestId('flash-success').textContent()).toBe(
        'Tampilan "Jalan, semua status" dihapus.',
      ),
    );
    await expect(savedNames(page)).resolves.toEqual([]);
    await page.reload();
    await page.getByRole('heading', { name: 'Tampilan tersimpan' }).waitFor();
    await expect(page.getByText('Belum ada. Atur filter, beri nama, lalu simpan.').isVisible()).resolves.toBe(
      true,
    );
  });

  it('refuses a view without a name, and says so in the officer’s words', async () => {
    const page = await signedIn(OTHER);
    await page.getByRole('button', { name: 'Simpan filter ini' }).click();
    await eventually(async () =>
      expect(await page.getByTestId('flash-error').textContent()).toBe(
        'Beri nama tampilan (paling banyak 60 huruf).',
      ),
    );
    await expect(savedNames(page)).resolves.toEqual([]);
  });
});
