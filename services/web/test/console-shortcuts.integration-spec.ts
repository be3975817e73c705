import { eventually } from '@aduan/testing';
import type { Page } from 'playwright-core';
import { createOfficers, signInOnConsole, type OfficerAccount } from './support/officers';
import type { SeededReport } from './support/seed';
import { startStack, type Stack } from './support/stack';

const DBM: OfficerAccount = {
  username: 'rina.dbm',
  password: 'rina-password-123',
  displayName: 'Rina (DBM)',
  role: 'unit_officer',
  unit: 'DBM',
};

describe('officer console: keyboard shortcuts in the queue and the report', () => {
  let stack: Stack;
  let page: Page;
  const seeded: SeededReport[] = [];

  beforeAll(async () => {
    stack = await startStack('web_console_shortcuts');
    await createOfficers(stack.status.url, [DBM]);
    const run = Date.now();
    for (const [label, text] of [
      ['hole', 'Jalan berlubang di depan sekolah Kenari'],
      ['crack', 'Aspal retak panjang di Jl. Kramat Raya'],
      ['kerb', 'Trotoar rusak dekat halte Senen'],
    ]) {
      const report = await stack.seeder.report({
        sourceId: `wamid.keys-${label}-${run}`,
        text,
        unit: { code: 'DBM', name: 'Dinas Bina Marga' },
        outcome: 'ROUTED',
        category: 'Jalan',
      });
      await stack.seeder.stored(stack.status.url, report);
      seeded.push(report);
    }
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
  // Evaluated in the page, as text: the tests compile without the browser's types.
  const focused = () =>
    page.evaluate<string | null>(`document.activeElement?.getAttribute('data-code') ?? null`);
  const focusedId = () => page.evaluate<string>(`document.activeElement?.id ?? ''`);
  const focusedForm = () =>
    page.evaluate<string | undefined>(`document.activeElement?.closest('form')?.dataset.action`);

  it('moves through the queue, opens, claims and notes a report with single keys only', async () => {
    await signInOnConsole(page, stack.webUrl, DBM);
    await eventually(async () =>
      expect((await shown()).sort()).toEqual(seeded.map((s) => s.trackingCode).sort()),
    );
    const order = await shown();

    // ? lists the shortcuts in the officer's language; Esc closes the list.
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Pintasan papan ketik' });
    await help.waitFor();
    await expect(help.textContent()).resolves.toContain('Laporan berikutnya di antrean');
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden' });

    await page.keyboard.press('j');
    await expect(focused()).resolves.toBe(order[0]);
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await page.keyboard.press('j'); // past the end it stays on the last report
    await expect(focused()).resolves.toBe(order[2]);
    await page.keyboard.press('k');
    await expect(focused()).resolves.toBe(order[1]);

    await page.keyboard.press('Enter');
    const opened = seeded.find((s) => s.trackingCode === order[1])!;
    await eventually(async () => expect(new URL(page.url()).hash).toBe(`#/reports/${opened.reportId}`));
    await page.getByTestId('detail').getByText(order[1]!).first().waitFor();

    await page.keyboard.press('c');
    await eventually(async () =>
      expect(await page.getByTestId('flash-success').textContent()).toContain('Tersimpan'),
    );
    await eventually(async () =>
      expect(await page.locator(`#queue [data-code="${order[1]}"]`).textContent()).toContain(DBM.displayName),
    );
    await expect(page.locator('form[data-action="claim"]').count()).resolves.toBe(0);

    // n puts the cursor in the note; there every key is text, j and c included.
    await page.keyboard.press('n');
    await expect(focusedForm()).resolves.toBe('note');
    await page.keyboard.type('jalan dicek, c');
    await expect(page.locator('form[data-action="note"] textarea').inputValue()).resolves.toBe(
      'jalan dicek, c',
    );
    expect(new URL(page.url()).hash).toBe(`#/reports/${opened.reportId}`);

    // / goes to the search field from anywhere outside a field.
    await page.locator('#queue-title').click();
    await page.keyboard.press('/');
    await expect(focusedId()).resolves.toBe('search-q');
    await page.keyboard.type('kramat');
    await expect(page.locator('#search-q').inputValue()).resolves.toBe('kramat');

    // A Ctrl combination stays the browser's: no shortcut moves the focus.
    await page.locator('#queue-title').click();
    await page.keyboard.press('Control+j');
    await expect(focused()).resolves.toBeNull();
  });

  it('offers the list of shortcuts as a button, in English too', async () => {
    await signInOnConsole(page, stack.webUrl, DBM);
    await page.locator('#lang').click();
    await page.getByRole('button', { name: 'Shortcuts (?)' }).click();
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.waitFor();
    for (const line of ['Go to the search field', 'Claim the open report', 'Go to the internal note field'])
      await expect(help.textContent()).resolves.toContain(line);
    await help.getByRole('button', { name: 'Close' }).click();
    await help.waitFor({ state: 'hidden' });
  });
});
