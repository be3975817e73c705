import { eventually } from '@aduan/testing';
import type { Page } from 'playwright-core';
import { horizontalOverflow, measureContrast } from './support/contrast';
import { createOfficers, signInOnConsole, type OfficerAccount } from './support/officers';
import type { SeededReport } from './support/seed';
import { ADMIN, startStack, type Stack } from './support/stack';

const CRM: OfficerAccount = {
  username: 'tono.crm',
  password: 'tono-password-123',
  displayName: 'Tono (CRM)',
  role: 'crm_officer',
};
const ADMIN_ACCOUNT: OfficerAccount = { ...ADMIN, displayName: 'Administrator', role: 'admin' };

const SCREENS = [
  { name: 'a laptop (1366×768)', viewport: { width: 1366, height: 768 } },
  { name: 'a tablet (768×1024)', viewport: { width: 768, height: 1024 } },
];

/**
 * WCAG 2.1 AA contrast of every visible text of the console (4.5:1, 3:1 for large text), measured
 * in Chromium as drawn, and no sideways scrolling on an office laptop or a field officer's tablet.
 */
describe('officer console: readable contrast and no sideways scrolling', () => {
  let stack: Stack;
  let report: SeededReport;

  beforeAll(async () => {
    stack = await startStack('web_console_contrast');
    await createOfficers(stack.status.url, [CRM]);
    const run = Date.now();
    report = await stack.seeder.report({
      sourceId: `wamid.contrast-${run}`,
      text: 'Banjir setinggi lutut di Jl. Kenari, mohon segera ditangani',
      unit: null,
      outcome: 'TRIAGE',
      category: 'Banjir',
    });
    await stack.seeder.stored(stack.status.url, report);
    // One overdue-looking row, one routed: the queue shows its badges of several kinds.
    const routed = await stack.seeder.report({
      sourceId: `wamid.contrast-routed-${run}`,
      text: 'Jalan berlubang di depan pasar Kenari',
      unit: { code: 'DBM', name: 'Dinas Bina Marga' },
      outcome: 'ROUTED',
      category: 'Jalan',
    });
    await stack.seeder.stored(stack.status.url, routed);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  async function check(page: Page, what: string): Promise<void> {
    const { measured, failures } = await measureContrast(page);
    // A page measured with no text would pass by accident.
    expect(measured).toBeGreaterThan(15);
    expect({ what, failures }).toEqual({ what, failures: [] });
    expect({ what, overflow: await horizontalOverflow(page) }).toEqual({ what, overflow: 0 });
  }

  for (const screen of SCREENS)
    it(`on ${screen.name}: the queue, a report and the administration page`, async () => {
      const page = await stack.browser.newPage({ viewport: screen.viewport, locale: 'id-ID' });
      try {
        await signInOnConsole(page, stack.webUrl, CRM);
        await page.getByLabel('Status').selectOption('');
        await eventually(async () => expect(await page.locator('#queue [data-code]').count()).toBe(2));
        await check(page, 'queue');

        await page.locator(`[data-code="${report.trackingCode}"]`).click();
        await page.getByTestId('detail').getByText('Banjir setinggi lutut').waitFor();
        await check(page, 'report detail');

        await page.keyboard.press('?');
        await page.getByRole('dialog', { name: 'Pintasan papan ketik' }).waitFor();
        await check(page, 'shortcuts');
        await page.keyboard.press('Escape');

        await page.getByRole('button', { name: 'Keluar', exact: true }).click();
        await signInOnConsole(page, stack.webUrl, ADMIN_ACCOUNT);
        await page.getByRole('link', { name: 'Administrasi' }).click();
        await page.locator('#create-officer').waitFor();
        await check(page, 'administration');
      } finally {
        await page.close();
      }
    });
});
