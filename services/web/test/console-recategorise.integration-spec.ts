import { eventually } from '@aduan/testing';
import type { Page } from 'playwright-core';
import { createOfficers, signInOnConsole, type OfficerAccount } from './support/officers';
import type { SeededReport } from './support/seed';
import { screenshot, startStack, type Stack } from './support/stack';

const DSDA: OfficerAccount = {
  username: 'rina.dsda',
  password: 'rina-password-123',
  displayName: 'Rina (DSDA)',
  role: 'unit_officer',
  unit: 'DSDA',
};
const DRAIN = 'Saluran Air, Kali/Sungai';

describe('officer console: re-categorising a report', () => {
  let stack: Stack;
  let page: Page;
  let flood: SeededReport;

  beforeAll(async () => {
    stack = await startStack('web_console_recategorise');
    await createOfficers(stack.status.url, [DSDA]);
    flood = await stack.seeder.report({
      sourceId: `wamid.recategorise-${Date.now()}`,
      text: 'Air setinggi lutut masuk ke rumah warga di gang Kenari sejak subuh',
      unit: { code: 'DSDA', name: 'Dinas Sumber Daya Air' },
      outcome: 'ROUTED',
      category: DRAIN,
    });
    await stack.seeder.stored(stack.status.url, flood);
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

  const row = () => page.locator(`#queue [data-code="${flood.trackingCode}"]`);
  const fact = (name: string) =>
    page
      .getByTestId('detail')
      .locator('.facts > div', { has: page.locator('dt', { hasText: name }) })
      .locator('dd');

  it('an officer files a report under another category with a reason, and sees it in the detail, the history and the queue', async () => {
    await signInOnConsole(page, stack.webUrl, DSDA);
    await eventually(async () => expect(await row().textContent()).toContain(DRAIN), { timeoutMs: 20_000 });
    await row().click();
    await page.getByTestId('detail').waitFor();
    await expect(fact('Kategori').textContent()).resolves.toBe(DRAIN);

    await page
      .locator('details', { has: page.locator('form[data-action="recategorise"]') })
      .locator('summary')
      .click();
    const form = page.locator('form[data-action="recategorise"]');
    // The choices are the service's categories, without the one the report already has.
    const choices = await form.getByLabel('Kategori baru').locator('option').allTextContents();
    expect(choices).toContain('Banjir');
    expect(choices).not.toContain(DRAIN);

    // Without a reason the service refuses, and says why.
    await form.getByLabel('Kategori baru').selectOption('Banjir');
    await form.getByRole('button', { name: 'Ubah kategori' }).click();
    await eventually(async () =>
      expect(await page.getByTestId('flash-error').textContent()).toContain('reason is required'),
    );
    await expect(fact('Kategori').textContent()).resolves.toBe(DRAIN);

    await form
      .getByLabel('Alasan (internal)')
      .fill('Air masuk ke rumah warga: ini banjir, bukan saluran tersumbat.');
    await form.getByRole('button', { name: 'Ubah kategori' }).click();
    await eventually(async () =>
      expect(await page.getByTestId('flash-success').textContent()).toBe('Kategori diubah menjadi Banjir.'),
    );
    await expect(fact('Kategori').textContent()).resolves.toBe('Banjir');
    // The state and the unit stay; the history says who changed what, and why.
    await expect(page.getByTestId('detail-state').textContent()).resolves.toBe('Menunggu');
    await expect(fact('Unit').textContent()).resolves.toContain('DSDA');
    const latest = page.getByTestId('officer-timeline').locator('li').first();
    await expect(latest.textContent()).resolves.toContain(
      `Kategori laporan diubah dari ${DRAIN} menjadi Banjir.`,
    );
    await expect(latest.textContent()).resolves.toContain('ini banjir, bukan saluran tersumbat');
    await expect(latest.locator('.who').textContent()).resolves.toContain('Rina (DSDA)');

    // The queue beside it shows the new category without a reload.
    await eventually(async () => expect(await row().textContent()).toContain('Banjir'), {
      timeoutMs: 20_000,
    });
    await screenshot(page, 'console-recategorised');

    // And a search by category finds it under the new one only.
    await page.goto(`${stack.webUrl}/console/?state=&category=Banjir`);
    await eventually(async () => expect(await row().count()).toBe(1), { timeoutMs: 20_000 });
    await page.goto(`${stack.webUrl}/console/?state=&category=${encodeURIComponent(DRAIN)}`);
    await page.getByText('Tidak ada laporan yang cocok dengan pencarian ini.').waitFor();
    expect(await row().count()).toBe(0);
  });
});
