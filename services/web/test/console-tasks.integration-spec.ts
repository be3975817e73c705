import { randomBytes } from 'node:crypto';
import { STATE_LABELS } from '@aduan/contracts';
import { eventually } from '@aduan/testing';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { createOfficers, signInApi, signInOnConsole, type OfficerAccount } from './support/officers';
import type { SeededReport } from './support/seed';
import { screenshot, startStack, type Stack } from './support/stack';

const CRM: OfficerAccount = {
  username: 'dewi.crm',
  password: 'dewi-password-123',
  displayName: 'Dewi (CRM)',
  role: 'crm_officer',
};
const DBM: OfficerAccount = {
  username: 'agus.dbm',
  password: 'agus-password-123',
  displayName: 'Agus (Bina Marga)',
  role: 'unit_officer',
  unit: 'DBM',
};
const DISHUB: OfficerAccount = {
  username: 'sari.dishub',
  password: 'sari-password-123',
  displayName: 'Sari (Dishub)',
  role: 'unit_officer',
  unit: 'DISHUB',
};
/** Room for two more reports: the third of a bulk claim is refused for capacity. */
const DSDA: OfficerAccount & { capacity: number } = {
  username: 'budi.dsda',
  password: 'budi-password-123',
  displayName: 'Budi (DSDA)',
  role: 'unit_officer',
  unit: 'DSDA',
  capacity: 2,
};

async function photo(): Promise<Buffer> {
  return sharp(randomBytes(160 * 120 * 3), { raw: { width: 160, height: 120, channels: 3 } })
    .jpeg({ quality: 80 })
    .toBuffer();
}

describe('officer console: parallel coordination and bulk actions', () => {
  let stack: Stack;
  let page: Page;
  let seq = 0;

  beforeAll(async () => {
    stack = await startStack('web_console_tasks');
    await createOfficers(stack.status.url, [CRM, DBM, DISHUB, DSDA]);
  });
  afterAll(async () => {
    await stack?.stop();
  });
  afterEach(async () => {
    await page?.close();
  });

  async function as(account: OfficerAccount): Promise<void> {
    await page?.close();
    page = await stack.browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'id-ID' });
    await signInOnConsole(page, stack.webUrl, account);
  }

  async function seed(text: string): Promise<SeededReport> {
    const report = await stack.seeder.report({
      sourceId: `wamid.tasks-${Date.now()}-${++seq}`,
      text,
      unit: { code: 'DSDA', name: 'Dinas Sumber Daya Air' },
      outcome: 'ROUTED',
      category: 'Saluran Air, Kali/Sungai',
    });
    await stack.seeder.stored(stack.status.url, report);
    return report;
  }

  const link = (code: string) => page.locator(`#queue a[data-code="${code}"]`);

  async function open(code: string): Promise<void> {
    await eventually(
      async () => {
        await page.getByRole('button', { name: 'Muat ulang' }).click();
        await link(code).waitFor({ timeout: 1000 });
      },
      { timeoutMs: 20_000 },
    );
    await link(code).click();
    await page.getByTestId('detail').waitFor();
  }

  const state = () => page.getByTestId('detail-state');
  const part = (unit: string) => page.locator(`[data-testid="task"][data-unit="${unit}"]`);

  async function expectState(label: string): Promise<void> {
    await eventually(async () => expect(await state().textContent()).toBe(label));
  }

  /** What a unit officer does with its part: start, upload a photo, and mark it done with a note. */
  async function finishPart(unit: string, note: string): Promise<void> {
    await part(unit).getByRole('button', { name: 'Mulai kerjakan bagian ini' }).click();
    await eventually(async () =>
      expect(await part(unit).getByTestId('task-state').textContent()).toBe('Proses'),
    );
    const upload = page.locator('form[data-action="evidence"]');
    await upload
      .locator('input[type="file"]')
      .setInputFiles({ name: 'bukti.jpg', mimeType: 'image/jpeg', buffer: await photo() });
    await upload.getByRole('button', { name: 'Unggah foto bukti' }).click();
    await eventually(async () =>
      expect(await page.getByTestId('flash-success').textContent()).toContain('Foto diunggah'),
    );
    await part(unit).locator('summary', { hasText: 'Tandai bagian ini selesai' }).click();
    const done = part(unit).locator('form[data-action="task-done"]');
    await expect(done.locator('input[type="checkbox"]').first().isChecked()).resolves.toBe(true);
    await done.getByLabel('Yang dikerjakan unit Anda').fill(note);
    await done.getByRole('button', { name: 'Tandai bagian ini selesai' }).click();
    await eventually(async () =>
      expect(await part(unit).getByTestId('task-state').textContent()).toBe('Selesai'),
    );
  }

  it('a two-unit parallel coordination completes only after both units finish', async () => {
    const flood = await seed('Jalan Kramat Raya tergenang dan lampu lalu lintas di perempatan mati');

    // The CRM officer hands the report to Bina Marga and Dishub at once.
    await as(CRM);
    // A CRM officer's queue opens on triage; this report is already with a unit.
    await page.goto(`${stack.webUrl}/console/?state=`);
    await open(flood.trackingCode);
    await page.locator('#coordinate-parallel > summary').click();
    const form = page.locator('form[data-action="coordinate-parallel"]');
    await form.getByLabel('Dinas Bina Marga (DBM)').check();
    await form.getByLabel('Dinas Perhubungan (DISHUB)').check();
    await form.getByLabel('Alasan (internal)').fill('Genangan di jalan dan lampu mati: dua unit sekaligus.');
    await form.getByRole('button', { name: 'Koordinasikan', exact: true }).click();
    await eventually(async () =>
      expect(await page.getByTestId('flash-success').textContent()).toBe(
        'Laporan dikoordinasikan ke 2 unit.',
      ),
    );
    await expectState(STATE_LABELS.COORDINATION);
    for (const unit of ['DBM', 'DISHUB']) {
      await expect(part(unit).getByTestId('task-state').textContent()).resolves.toBe('Menunggu');
      await expect(part(unit).textContent()).resolves.toMatch(/Batas \d+ hari lagi/);
    }
    await screenshot(page, 'console-parallel-coordinated');

    // Bina Marga finds the report in its own queue and finishes its part: the report waits for Dishub.
    await as(DBM);
    await open(flood.trackingCode);
    // Dishub's part is not Bina Marga's to work.
    await expect(part('DISHUB').getByRole('button').count()).resolves.toBe(0);
    await finishPart('DBM', 'Genangan dipompa dan saluran tepi jalan dibersihkan.');
    await expectState(STATE_LABELS.IN_PROGRESS);
    await expect(page.locator('#tasks-waiting').textContent()).resolves.toContain('1 dari 2 selesai');
    await screenshot(page, 'console-parallel-one-done');

    // Dishub finishes the second part, and only now the report goes to validation.
    await as(DISHUB);
    await open(flood.trackingCode);
    await expectState(STATE_LABELS.IN_PROGRESS);
    await finishPart('DISHUB', 'Lampu lalu lintas diperbaiki dan menyala kembali.');
    await expectState(STATE_LABELS.AWAITING_VALIDATION);
    await expect(page.locator('#tasks-waiting').count()).resolves.toBe(0);

    // The citizen reads the report's state and both units' work, never the internal reason.
    await page.goto(`${stack.webUrl}/lacak/${flood.trackingCode}`);
    await eventually(async () =>
      expect(await page.getByTestId('state').textContent()).toBe(STATE_LABELS.AWAITING_VALIDATION),
    );
    const timeline = await page.getByTestId('timeline').textContent();
    expect(timeline).toContain('Dinas Bina Marga: Genangan dipompa dan saluran tepi jalan dibersihkan.');
    expect(timeline).toContain('Dinas Perhubungan: Lampu lalu lintas diperbaiki dan menyala kembali.');
    expect(timeline).not.toContain('dua unit sekaligus');
  });

  it('claims several reports at once from the queue with the keyboard, and says which one failed and why', async () => {
    const reports = [
      await seed('Got mampet di Jl. Salemba, air meluap'),
      await seed('Saluran di Jl. Kenari tertutup sampah'),
      await seed('Kali kecil di Senen penuh lumpur'),
    ];
    await as(DSDA);
    for (const r of reports) {
      const box = page.locator(`#queue input[data-pick="${r.trackingCode}"]`);
      await eventually(
        async () => {
          await page.getByRole('button', { name: 'Muat ulang' }).click();
          await box.waitFor({ timeout: 1000 });
        },
        { timeoutMs: 20_000 },
      );
      await box.focus();
      await page.keyboard.press('Space');
      await expect(box.isChecked()).resolves.toBe(true);
    }
    await expect(page.locator('#bulk-count').textContent()).resolves.toBe('3 laporan dipilih');
    await page.locator('#bulk-claim').focus();
    await page.keyboard.press('Enter');

    const results = page.locator('#bulk-results li');
    await eventually(async () => expect(await results.count()).toBe(3));
    await expect(page.getByTestId('flash-error').textContent()).resolves.toBe('2 berhasil, 1 gagal.');
    const refused = page.locator('#bulk-results li[data-ok="no"]');
    await expect(refused.count()).resolves.toBe(1);
    await expect(refused.textContent()).resolves.toContain('jumlah laporan maksimum');
    await expect(page.locator('#bulk-results li[data-ok="yes"]').count()).resolves.toBe(2);
    // The refused report stays picked, to try again; the claimed ones leave the selection.
    await expect(page.locator('#bulk-count').textContent()).resolves.toBe('1 laporan dipilih');
    await screenshot(page, 'console-bulk-claim');

    // The service agrees: the two claimed reports are the officer's, the third nobody's.
    const token = await signInApi(stack.status.url, DSDA.username, DSDA.password);
    const mine = (await (
      await fetch(`${stack.status.url}/v1/officer/queue?assignee=me`, {
        headers: { Authorization: `Bearer ${token}` },
      })
    ).json()) as { items: Array<{ trackingCode: string }> };
    const refusedCode = await refused.getAttribute('data-code');
    expect(mine.items.map((i) => i.trackingCode).sort()).toEqual(
      reports
        .map((r) => r.trackingCode)
        .filter((c) => c !== refusedCode)
        .sort(),
    );
  });
});
