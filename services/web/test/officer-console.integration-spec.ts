import { randomBytes } from 'node:crypto';
import { eventually } from '@aduan/testing';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { createOfficers, signedInAs, type OfficerAccount } from './support/officers';
import { REPORTER, REPORTER_TRACES, type SeededReport } from './support/seed';
import { screenshot, startStack, type Stack } from './support/stack';

const CRM: OfficerAccount = {
  username: 'rina.crm',
  password: 'rina-password-123',
  displayName: 'Rina (CRM)',
  role: 'crm_officer',
};
const DSDA: OfficerAccount = {
  username: 'budi.dsda',
  password: 'budi-password-123',
  displayName: 'Budi (DSDA)',
  role: 'unit_officer',
  unit: 'DSDA',
};
const DBM: OfficerAccount = {
  username: 'tono.dbm',
  password: 'tono-password-123',
  displayName: 'Tono (DBM)',
  role: 'unit_officer',
  unit: 'DBM',
};
const VALIDATOR: OfficerAccount = {
  username: 'wati.val',
  password: 'wati-password-123',
  displayName: 'Wati (Validator)',
  role: 'validator',
};

/** A real JPEG of random pixels: unlike any other evidence, so nothing is flagged as reused. */
async function photo(): Promise<Buffer> {
  return sharp(randomBytes(160 * 120 * 3), { raw: { width: 160, height: 120, channels: 3 } })
    .jpeg({ quality: 80 })
    .toBuffer();
}

describe('officer console in Chromium', () => {
  let stack: Stack;
  let adminToken: string;
  let page: Page;

  beforeAll(async () => {
    stack = await startStack('web_console');
    adminToken = await createOfficers(stack.status.url, [CRM, DSDA, DBM, VALIDATOR]);
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

  async function signIn(account: OfficerAccount): Promise<void> {
    await page.goto(`${stack.webUrl}/console/`);
    await page.getByLabel('Nama pengguna').fill(account.username);
    await page.getByLabel('Kata sandi').fill(account.password);
    await page.getByRole('button', { name: 'Masuk' }).click();
    await signedInAs(page, account.displayName);
  }

  async function signOut(): Promise<void> {
    await page.getByRole('button', { name: 'Keluar' }).click();
    await page.getByRole('button', { name: 'Masuk' }).waitFor();
  }

  async function openFromQueue(code: string): Promise<void> {
    await eventually(
      async () => {
        await page.getByRole('button', { name: 'Muat ulang' }).click();
        await page.locator(`[data-code="${code}"]`).waitFor({ timeout: 1000 });
      },
      { timeoutMs: 20_000 },
    );
    await page.locator(`[data-code="${code}"]`).click();
    await page.getByTestId('detail').waitFor();
  }

  async function expectState(label: string): Promise<void> {
    await eventually(async () => expect(await page.getByTestId('detail-state').textContent()).toBe(label));
  }

  async function triageReport(label: string): Promise<SeededReport> {
    const seeded = await stack.seeder.report({
      sourceId: `wamid.console-${label}-${Date.now()}`,
      text: `Saluran air tersumbat di Jl. Kenari II (${label}), hubungi 0812-3456-7890`,
      unit: null,
      outcome: 'TRIAGE',
      category: 'Saluran Air, Kali/Sungai',
    });
    await stack.seeder.stored(stack.status.url, seeded);
    return seeded;
  }

  it('walks a report through triage, follow-up and validation, and the public page ends on "Selesai"', async () => {
    const seeded = await triageReport('walk');

    // Triage: the CRM officer routes the report to the Dinas Sumber Daya Air.
    await signIn(CRM);
    await openFromQueue(seeded.trackingCode);
    await expectState('Menunggu');
    await page.getByTestId('map').waitFor();
    await screenshot(page, 'console-triage');
    const route = page.locator('form[data-action="route"]');
    await route.getByLabel('Unit tujuan').selectOption('DSDA');
    await route.getByLabel('Catatan').fill('Wewenang DSDA: saluran air.');
    await route.getByRole('button', { name: 'Teruskan ke unit' }).click();
    await eventually(async () =>
      expect(await page.getByTestId('flash-success').textContent()).toContain('Menunggu'),
    );
    await expect(page.getByTestId('detail').textContent()).resolves.toContain('Dinas Sumber Daya Air');
    await signOut();

    // Follow-up: the DSDA officer starts work, uploads a photo and submits the follow-up.
    await signIn(DSDA);
    await openFromQueue(seeded.trackingCode);
    await page.locator('form[data-action="start"]').getByRole('button', { name: 'Mulai kerjakan' }).click();
    await expectState('Proses');
    const upload = page.locator('form[data-action="evidence"]');
    await upload
      .locator('input[type="file"]')
      .setInputFiles({ name: 'saluran-bersih.jpg', mimeType: 'image/jpeg', buffer: await photo() });
    await upload.getByRole('button', { name: 'Unggah foto bukti' }).click();
    await eventually(async () =>
      expect(await page.getByTestId('flash-success').textContent()).toContain('Foto diunggah'),
    );
    const followUp = page.locator('form[data-action="follow-up"]');
    await expect(followUp.locator('input[type="checkbox"]').isChecked()).resolves.toBe(true);
    await followUp
      .getByLabel('Catatan untuk publik')
      .fill('Saluran sudah dibersihkan dari sampah dan lumpur.');
    await screenshot(page, 'console-follow-up');
    await followUp.getByRole('button', { name: 'Kirim tindak lanjut' }).click();
    await expectState('Menunggu Validasi');
    await signOut();

    // Validation: the validator sees the evidence photo and accepts.
    await signIn(VALIDATOR);
    await openFromQueue(seeded.trackingCode);
    await eventually(async () =>
      expect(await page.getByTestId('evidence').locator('img').getAttribute('src')).toMatch(/^blob:/),
    );
    await screenshot(page, 'console-validation');
    await page.getByRole('button', { name: 'Terima — Selesai' }).click();
    await expectState('Selesai');
    await signOut();

    // The citizen's page shows the outcome and the follow-up note, and still nothing about the reporter.
    await page.goto(`${stack.webUrl}/lacak/${seeded.trackingCode}`);
    await eventually(async () => expect(await page.getByTestId('state').textContent()).toBe('Selesai'));
    const timeline = await page.getByTestId('timeline').textContent();
    expect(timeline).toContain('Saluran sudah dibersihkan dari sampah dan lumpur.');
    await expect(page.getByTestId('timeline').locator('img, a').count()).resolves.toBeGreaterThan(0);
    await screenshot(page, 'tracking-completed');
    const html = await page.content();
    for (const trace of REPORTER_TRACES) expect(html).not.toContain(trace);
    for (const trace of REPORTER_TRACES) expect(stack.webLogs.join('\n')).not.toContain(trace);
  });

  it('coordinates, disposes, refuses a follow-up, rejects and merges through the console forms', async () => {
    const routedToDsda = async (label: string) => {
      const seeded = await stack.seeder.report({
        sourceId: `wamid.more-${label}-${Date.now()}`,
        text: `Jalan berlubang dekat Pasar Kenari (${label})`,
        unit: { code: 'DSDA', name: 'Dinas Sumber Daya Air' },
        outcome: 'ROUTED',
        category: 'Saluran Air, Kali/Sungai',
      });
      await stack.seeder.stored(stack.status.url, seeded);
      return seeded;
    };
    const unfold = async (action: string) => {
      await page
        .locator('details', { has: page.locator(`form[data-action="${action}"]`) })
        .locator('summary')
        .click();
      return page.locator(`form[data-action="${action}"]`);
    };

    // Coordination (DSDA → Dinas Bina Marga), then disposition to its Suku Dinas for Jakarta Pusat.
    const road = await routedToDsda('road');
    await signIn(DSDA);
    await openFromQueue(road.trackingCode);
    const coordinate = await unfold('coordinate');
    await coordinate.getByLabel('Unit tujuan').selectOption('DBM');
    await coordinate.getByLabel('Alasan (internal)').fill('Jalan berlubang adalah wewenang Bina Marga.');
    await coordinate.getByRole('button', { name: 'Koordinasikan ke unit lain' }).click();
    await expectState('Koordinasi');
    await signOut();
    await signIn(DBM);
    await openFromQueue(road.trackingCode);
    const dispose = await unfold('dispose');
    await dispose.getByLabel('Unit tujuan').selectOption('DBM.31.71');
    await dispose.getByRole('button', { name: 'Disposisi ke Suku Dinas' }).click();
    await expectState('Disposisi');
    await signOut();

    // A follow-up the validator refuses, with a reason.
    const drain = await routedToDsda('drain');
    await asAdmin(drain.reportId, 'start', {});
    const form = new FormData();
    form.append('file', new Blob([await photo()], { type: 'image/jpeg' }), 'bukti.jpg');
    const uploaded = await fetch(`${stack.status.url}/v1/officer/reports/${drain.reportId}/evidence`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${adminToken}` },
      body: form,
    });
    await asAdmin(drain.reportId, 'follow-up', {
      note: 'Selesai.',
      evidence: [((await uploaded.json()) as { id: string }).id],
    });
    await signIn(VALIDATOR);
    await openFromQueue(drain.trackingCode);
    await page.getByLabel('Alasan').fill('Foto tidak menunjukkan saluran yang dilaporkan.');
    await page.getByRole('button', { name: 'Tolak tindak lanjut' }).click();
    await expectState('TL Ditolak');
    await signOut();

    // The CRM officer rejects one triage report with a public reason and merges another.
    const spam = await triageReport('spam');
    const twin = await triageReport('twin');
    await signIn(CRM);
    await openFromQueue(spam.trackingCode);
    const reject = await unfold('reject');
    await reject.getByLabel('Alasan (ditampilkan ke publik)').fill('Laporan tidak berisi keluhan.');
    await reject.getByRole('button', { name: 'Tolak laporan' }).click();
    await expectState('Ditolak');
    await page.goto(`${stack.webUrl}/console/#/reports/${twin.reportId}`);
    await page.getByTestId('detail').waitFor();
    const merge = await unfold('merge');
    await merge.getByLabel('Nomor atau ID laporan induk').fill(road.trackingCode);
    await merge.getByRole('button', { name: 'Gabungkan ke laporan induk' }).click();
    await expectState('Digabung');

    const rejected = await fetch(`${stack.webUrl}/api/status/v1/public/reports/${spam.trackingCode}`);
    expect(JSON.stringify(await rejected.json())).toContain('Laporan tidak berisi keluhan.');
    const merged = (await (
      await fetch(`${stack.webUrl}/api/status/v1/public/reports/${twin.trackingCode}`)
    ).json()) as { mergedInto: string | null; incident: { state: string } | null };
    // The merged report follows the incident under its own code; the master's never shows (ADR 0055).
    expect(merged.mergedInto).toBeNull();
    expect(merged.incident).not.toBeNull();
    expect(JSON.stringify(merged)).not.toContain(road.trackingCode);
    // Its tracking page tells where the incident stands, under its own code only.
    await page.goto(`${stack.webUrl}/lacak/${twin.trackingCode}`);
    await page.getByTestId('incident').waitFor();
    expect(await page.content()).not.toContain(road.trackingCode);
  });

  it('finds a report in the loaded queue by its code and by a word of its text', async () => {
    const wanted = await triageReport('rob-cilincing');
    const other = await triageReport('lampu-taman');
    await signIn(CRM);
    await eventually(
      async () => {
        await page.getByRole('button', { name: 'Muat ulang' }).click();
        await page.locator(`[data-code="${wanted.trackingCode}"]`).waitFor({ timeout: 1000 });
        await page.locator(`[data-code="${other.trackingCode}"]`).waitFor({ timeout: 1000 });
      },
      { timeoutMs: 20_000 },
    );
    await screenshot(page, 'console-queue');
    const search = page.getByLabel('Cari di antrean: nomor atau kata');
    const shown = async () =>
      page.locator('[data-code]').evaluateAll((links) => links.map((a) => a.getAttribute('data-code')));
    // As citizens and officers write it: lower case, a space instead of the dash.
    await search.fill(wanted.trackingCode.toLowerCase().replace('-', ' '));
    await expect(shown()).resolves.toEqual([wanted.trackingCode]);
    await search.fill('Rob-Cilincing');
    await expect(shown()).resolves.toEqual([wanted.trackingCode]);
    await search.fill('lampu-taman tersumbat');
    await expect(shown()).resolves.toEqual([other.trackingCode]);
    await search.fill('tidak-ada-di-mana-pun');
    await expect(shown()).resolves.toEqual([]);
    await expect(page.getByTestId('queue').textContent()).resolves.toContain('tidak-ada-di-mana-pun');
  });

  it("shows a reporter's contact only after a second officer approves the request", async () => {
    const seeded = await triageReport('reveal');
    await signIn(CRM);
    await openFromQueue(seeded.trackingCode);
    const ask = async (requestId?: string) => {
      const form = page.locator('form[data-action="contact"]');
      if (!(await form.isVisible())) await page.locator('details', { has: form }).locator('summary').click();
      await form.getByLabel('Mengapa kontak diperlukan').fill('Petugas lapangan perlu menghubungi pelapor.');
      await form.getByLabel(/Nomor permintaan/).fill(requestId ?? '');
      await form.getByRole('button', { name: 'Lihat kontak pelapor' }).click();
      return form;
    };
    await ask();
    const requested = await eventually(async () => {
      const said = (await page.getByTestId('flash-success').textContent()) ?? '';
      const id = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/.exec(said);
      if (!id) throw new Error('no request number yet');
      return id[0];
    });
    expect(await page.getByTestId('detail').textContent()).not.toContain(REPORTER.name);
    // Another officer approves; the one who asked then sees the contact, once.
    const approved = await fetch(
      `${stack.status.url}/v1/officer/reports/${seeded.reportId}/contact/${requested}/approve`,
      { method: 'POST', headers: { Authorization: `Bearer ${adminToken}` } },
    );
    expect(approved.status).toBe(200);
    await ask(requested);
    await eventually(async () =>
      expect(await page.locator('.contact').textContent()).toContain(REPORTER.name),
    );
  });

  it('sends an officer whose token is forged or expired back to the sign-in form, saying why', async () => {
    await signIn(DSDA);
    const forged = await page.evaluate(`(() => {
      const key = 'aduan.officer.session';
      const session = JSON.parse(sessionStorage.getItem(key));
      session.accessToken = session.accessToken.slice(0, -4) + 'AAAA';
      // and the refresh token too, or the console would simply refresh (ADR 0057)
      session.refreshToken = 'forged-' + session.refreshToken;
      sessionStorage.setItem(key, JSON.stringify(session));
      return session.accessToken.length > 20;
    })()`);
    expect(forged).toBe(true);
    await page.reload();
    await page.getByRole('button', { name: 'Masuk' }).waitFor();
    await eventually(async () =>
      expect(await page.getByTestId('flash-error').textContent()).toContain('Sesi Anda berakhir'),
    );
    await expect(page.evaluate("sessionStorage.getItem('aduan.officer.session')")).resolves.toBeNull();
  });

  it("tells an officer in plain words that another unit's report is not theirs", async () => {
    const seeded = await triageReport('forbidden');
    const res = await fetch(`${stack.status.url}/v1/officer/reports/${seeded.reportId}/route`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({ unit: 'DSDA', version: await version(seeded.reportId) }),
    });
    expect(res.status).toBe(200);

    await signIn(DBM);
    await page.goto(`${stack.webUrl}/console/#/reports/${seeded.reportId}`);
    await eventually(async () =>
      expect(await page.getByTestId('flash-error').textContent()).toContain('tidak berwenang'),
    );
    await expect(page.getByTestId('detail').count()).resolves.toBe(0);
  });

  it('explains a conflict when another officer changed the report first, and shows the fresh version', async () => {
    const seeded = await triageReport('stale');
    const routed = await fetch(`${stack.status.url}/v1/officer/reports/${seeded.reportId}/route`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({ unit: 'DSDA', version: await version(seeded.reportId) }),
    });
    expect(`${routed.status} ${await routed.text()}`).toMatch(/^200/);
    await signIn(DSDA);
    await page.goto(`${stack.webUrl}/console/#/reports/${seeded.reportId}`);
    await expectState('Menunggu');

    // Meanwhile an admin starts the work on the same report.
    const started = await fetch(`${stack.status.url}/v1/officer/reports/${seeded.reportId}/start`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({ version: await version(seeded.reportId) }),
    });
    expect(`${started.status} ${await started.text()}`).toMatch(/^200/);

    await page.locator('form[data-action="start"]').getByRole('button', { name: 'Mulai kerjakan' }).click();
    await eventually(async () =>
      expect(await page.getByTestId('flash-error').textContent()).toContain('baru saja diubah'),
    );
    await expectState('Proses');
    await screenshot(page, 'console-conflict');
  });

  it('shows the validator that a follow-up photo was already used as proof for another report', async () => {
    const reused = await photo();
    const codes: string[] = [];
    for (const label of ['first', 'second']) {
      const seeded = await stack.seeder.report({
        sourceId: `wamid.flags-${label}-${Date.now()}`,
        text: `Genangan air di Jl. Kenari (${label})`,
        unit: { code: 'DSDA', name: 'Dinas Sumber Daya Air' },
        outcome: 'ROUTED',
        category: 'Saluran Air, Kali/Sungai',
      });
      await stack.seeder.stored(stack.status.url, seeded);
      await asAdmin(seeded.reportId, 'start', {});
      const form = new FormData();
      form.append('file', new Blob([reused], { type: 'image/jpeg' }), 'bukti.jpg');
      const uploaded = await fetch(`${stack.status.url}/v1/officer/reports/${seeded.reportId}/evidence`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${adminToken}` },
        body: form,
      });
      expect(uploaded.status).toBe(201);
      const evidence = ((await uploaded.json()) as { id: string }).id;
      await asAdmin(seeded.reportId, 'follow-up', { note: 'Sudah ditangani.', evidence: [evidence] });
      codes.push(seeded.trackingCode);
    }

    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(VALIDATOR);
    await screenshot(page, 'console-queue-mobile');
    await openFromQueue(codes[1]!);
    await eventually(async () =>
      expect(await page.getByTestId('evidence-flag').first().textContent()).toContain('Foto dipakai ulang'),
    );
    await expect(page.getByTestId('detail').textContent()).resolves.toContain('Periksa sebelum menerima');
    await screenshot(page, 'console-flags-mobile');
  });

  async function asAdmin(reportId: string, action: string, body: Record<string, unknown>): Promise<void> {
    const res = await fetch(`${stack.status.url}/v1/officer/reports/${reportId}/${action}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({ ...body, version: await version(reportId) }),
    });
    expect(`${action} ${res.status} ${res.status === 200 ? '' : await res.text()}`).toBe(`${action} 200 `);
  }

  async function version(reportId: string): Promise<number> {
    const res = await fetch(`${stack.status.url}/v1/officer/reports/${reportId}`, {
      headers: { Authorization: `Bearer ${adminToken}` },
    });
    return ((await res.json()) as { version: number }).version;
  }
});
