import { randomUUID } from 'node:crypto';
import { DEV_TRACKING_SECRET, trackingCodeFor } from '@aduan/channel-sdk';
import type { ComplaintReceived } from '@aduan/contracts';
import {
  createTestDatabase,
  eventually,
  startServiceProcess,
  testEnv,
  type ServiceProcess,
  type TestDatabase,
} from '@aduan/testing';
import type { BrowserContext, Page } from 'playwright-core';
import { documentedScreenshot } from './support/doc-screenshots';
import { signInApi, signInOnConsole, type OfficerAccount } from './support/officers';
import { freePort } from './support/status-process';
import { ADMIN, screenshot, startStack, type Stack } from './support/stack';

const ADMIN_ACCOUNT: OfficerAccount = { ...ADMIN, displayName: 'Administrator', role: 'admin' };
/** Two points in Jakarta Pusat (kota 31.71), kilometres apart: not one incident. */
const KENARI = { lat: -6.1936, lon: 106.8467 };
const GAMBIR = { lat: -6.1706, lon: 106.810469 };

interface OfficerReport {
  state: string;
  category: string | null;
  unit: { code: string; name: string } | null;
  area: { kelurahan: { kode: string; nama: string }; kota: { kode: string } } | null;
}

/**
 * The administration screens of the console against a real status service, a real router
 * consuming from Kafka and Chromium: accounts, and routing rules edited with a preview (ADR 0075).
 */
describe('console administration: officer accounts and routing rules', () => {
  let stack: Stack;
  let router: ServiceProcess;
  let routerDb: TestDatabase;
  let adminContext: BrowserContext;
  let admin: Page;

  beforeAll(async () => {
    const routerPort = await freePort();
    stack = await startStack('web_admin', { ROUTER_BASE_URL: `http://127.0.0.1:${routerPort}` });
    routerDb = await createTestDatabase('web_admin_router');
    router = await startServiceProcess('router', {
      ROUTER_PORT: String(routerPort),
      DATABASE_URL: routerDb.url,
      KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: stack.topicPrefix,
      OFFICER_JWKS_URL: `${stack.status.url}/.well-known/jwks.json`,
      // Info, at least: the process is known to have started by its "router started" line.
      LOG_LEVEL: 'info',
    });
    adminContext = await stack.browser.newContext({ viewport: { width: 1280, height: 900 } });
    admin = await adminContext.newPage();
    await signInOnConsole(admin, stack.webUrl, ADMIN_ACCOUNT);
  }, 180_000);

  afterAll(async () => {
    await adminContext?.close();
    await router?.stop();
    await routerDb?.drop();
    await stack?.stop();
  });

  async function adminTab(name: string): Promise<void> {
    await admin.getByRole('link', { name: 'Administrasi' }).click();
    await admin.getByRole('link', { name, exact: true }).click();
  }

  async function complaint(text: string, at: { lat: number; lon: number }): Promise<ComplaintReceived> {
    const reportId = randomUUID();
    const now = new Date().toISOString();
    const received: ComplaintReceived = {
      reportId,
      trackingCode: trackingCodeFor(reportId, DEV_TRACKING_SECRET),
      channel: 'jaki',
      source: { id: `admin-e2e-${reportId}`, receivedAt: now },
      reporter: { anonymous: true },
      text,
      location: at,
      attachments: [],
      visibility: 'public',
      receivedAt: now,
    };
    await stack.seeder.bus.publish('aduan.complaint.received.v1', received);
    return received;
  }

  /** The report once the real router routed it and the status service stored that. */
  async function routed(reportId: string): Promise<OfficerReport> {
    const token = await signInApi(stack.status.url, ADMIN.username, ADMIN.password);
    let report: OfficerReport | undefined;
    await eventually(
      async () => {
        const res = await fetch(`${stack.status.url}/v1/officer/reports/${reportId}`, {
          headers: { Authorization: `Bearer ${token}` },
        });
        expect(res.status).toBe(200);
        report = (await res.json()) as OfficerReport;
        expect(report.unit).not.toBeNull();
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    return report!;
  }

  it("creating and disabling an officer — the disabled officer's open console session stops working", async () => {
    await adminTab('Petugas');
    const form = admin.locator('#create-officer');
    await form.getByLabel('Nama pengguna').fill('budi');
    await form.getByLabel('Nama tampilan').fill('Budi Santoso');
    await form.getByLabel('Kata sandi awal (minimal 10 huruf)').fill('budi-password-123');
    await form.getByLabel('Peran').selectOption('unit_officer');
    await form.getByLabel('Unit').selectOption('DSDA');
    await form.getByLabel('Kapasitas').fill('8');
    await form.getByRole('button', { name: 'Buat akun' }).click();
    await admin.getByTestId('flash-success').getByText('Akun budi dibuat.').waitFor();
    const row = admin.locator('tr[data-officer="budi"]');
    await row.waitFor();
    await expect(row.textContent()).resolves.toMatch(/Budi Santoso.*Petugas unit.*DSDA.*8.*Aktif/);

    // Budi works in his own browser.
    const budiContext = await stack.browser.newContext();
    try {
      const budi = await budiContext.newPage();
      await signInOnConsole(budi, stack.webUrl, {
        username: 'budi',
        password: 'budi-password-123',
        displayName: 'Budi Santoso',
        role: 'unit_officer',
      });
      await budi.locator('#workspace').waitFor();
      // An unit officer has no administration link.
      expect(await budi.getByRole('link', { name: 'Administrasi' }).count()).toBe(0);

      // Disabled by the admin, by keyboard: the confirmation is accepted.
      admin.once('dialog', (dialog) => void dialog.accept());
      await row.getByRole('button', { name: 'Nonaktifkan' }).focus();
      await admin.keyboard.press('Enter');
      await admin
        .getByTestId('flash-success')
        .getByText(/Akun budi dinonaktifkan/)
        .waitFor();
      await row.getByRole('cell', { name: 'Nonaktif', exact: true }).waitFor();

      // Budi's open console stops at its next request: back to the sign-in form.
      await budi.getByRole('button', { name: 'Muat ulang' }).click();
      await budi.locator('#sign-in').waitFor({ timeout: 10_000 });
      expect(await budi.locator('#workspace').count()).toBe(0);
      await budi.getByLabel('Nama pengguna').fill('budi');
      await budi.getByLabel('Kata sandi').fill('budi-password-123');
      await budi.getByRole('button', { name: 'Masuk' }).click();
      await budi
        .getByTestId('flash-error')
        .getByText(/dinonaktifkan|disabled/i)
        .waitFor();
    } finally {
      await budiContext.close();
    }
  }, 120_000);

  it('resets a password: the one-time password is shown once and the officer chooses their own', async () => {
    await adminTab('Petugas');
    const form = admin.locator('#create-officer');
    await form.getByLabel('Nama pengguna').fill('sari');
    await form.getByLabel('Nama tampilan').fill('Sari Dewi');
    await form.getByLabel('Kata sandi awal (minimal 10 huruf)').fill('sari-password-123');
    await form.getByLabel('Peran').selectOption('crm_officer');
    await form.getByRole('button', { name: 'Buat akun' }).click();
    const row = admin.locator('tr[data-officer="sari"]');
    await row.waitFor();

    // Capacity and unit changed in place.
    await row.getByRole('button', { name: 'Ubah' }).click();
    const edit = admin.locator('tr[data-officer="sari"] form');
    await edit.getByLabel('Kapasitas').fill('25');
    await edit.getByRole('button', { name: 'Simpan' }).click();
    await admin.getByTestId('flash-success').getByText('Akun sari diubah.').waitFor();
    await row.getByRole('cell', { name: '25', exact: true }).waitFor();

    admin.once('dialog', (dialog) => void dialog.accept());
    await row.getByRole('button', { name: 'Atur ulang kata sandi' }).click();
    const shown = await admin.locator('#one-time-password').textContent();
    const oneTime = /([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})/.exec(shown ?? '')?.[1];
    expect(oneTime).toBeDefined();
    await row.getByText('Menunggu kata sandi baru').waitFor();

    const sariContext = await stack.browser.newContext();
    try {
      const sari = await sariContext.newPage();
      await sari.goto(`${stack.webUrl}/console/`);
      await sari.getByLabel('Nama pengguna').fill('sari');
      await sari.getByLabel('Kata sandi', { exact: true }).fill(oneTime!);
      await sari.getByRole('button', { name: 'Masuk' }).click();
      await sari.getByLabel('Kata sandi baru Anda').fill('sari-own-password-9');
      await sari.getByRole('button', { name: 'Masuk' }).click();
      await sari.getByText('Sari Dewi').waitFor();
    } finally {
      await sariContext.close();
    }
    expect(await signInApi(stack.status.url, 'sari', 'sari-own-password-9')).toEqual(expect.any(String));
  }, 120_000);

  it('editing a routing rule with a preview, publishing it, and a new report routed by it', async () => {
    const first = await complaint('Jalan berlubang dalam di depan SD Kenari, bahaya buat motor', KENARI);
    const before = await routed(first.reportId);
    expect(before.area?.kota.kode).toBe('31.71');
    const category = before.category!;

    await adminTab('Aturan disposisi');
    await admin.locator('#rules-version').getByText('Versi berlaku: 1').waitFor();
    const add = admin.locator('#add-rule');
    await add.getByLabel('Id aturan').fill('jalan-pusat-ke-kelurahan');
    await add.getByLabel('Kategori').selectOption(category);
    await add.getByLabel('Kode kota (opsional)').fill('31.71');
    await add.getByLabel('Tujuan').selectOption('KELURAHAN');
    await add.getByLabel('Prioritas').fill('200');
    await add.getByRole('button', { name: 'Tambah aturan ke draf' }).click();
    await expect(admin.locator('#rules-draft').inputValue()).resolves.toContain('jalan-pusat-ke-kelurahan');

    await admin.getByLabel('Jumlah laporan terakhir (1–500)').fill('50');
    await admin.getByRole('button', { name: 'Pratinjau' }).click();
    await admin.locator('#preview-summary').getByText('1 dari 1 laporan terakhir').waitFor();
    const moved = admin.locator(`#rules-preview tr[data-code="${first.trackingCode}"]`);
    await expect(moved.textContent()).resolves.toContain(before.unit!.name);
    await expect(moved.textContent()).resolves.toContain('jalan-pusat-ke-kelurahan');
    await admin.getByLabel('Catatan perubahan').fill('Jalan lingkungan Jakarta Pusat ke kelurahan');
    await documentedScreenshot(admin, 'rules-editor');

    await admin.getByRole('button', { name: 'Terbitkan sebagai versi baru' }).click();
    await admin
      .getByTestId('flash-success')
      .getByText(/Versi 2 berlaku/)
      .waitFor();
    await admin.locator('#rules-version').getByText('Versi berlaku: 2').waitFor();

    // The next report is routed by the published rule, by the router process consuming Kafka.
    const next = await complaint(
      'Jalan rusak dan berlubang di depan Stasiun Gambir, banyak motor jatuh',
      GAMBIR,
    );
    const after = await routed(next.reportId);
    expect(after.area?.kota.kode).toBe('31.71');
    expect(after.unit?.code).toBe(after.area!.kelurahan.kode);

    await admin.getByRole('link', { name: 'Kembali ke antrean' }).click();
    await admin.locator('#workspace').waitFor();
    await admin.getByText(next.trackingCode).first().waitFor({ timeout: 20_000 });
    await documentedScreenshot(admin, 'queue');
    await admin.goto(`${stack.webUrl}/console/#/reports/${next.reportId}`);
    await admin.locator('#detail').getByText(after.unit!.name).first().waitFor();
    await documentedScreenshot(admin, 'report-detail');

    // Rolled back from the history: a new version with the rules of version 1.
    await adminTab('Aturan disposisi');
    admin.once('dialog', (dialog) => void dialog.accept());
    await admin.locator('#rule-versions li[data-version="1"]').getByRole('button').click();
    await admin
      .getByTestId('flash-success')
      .getByText(/versi 1 berlaku lagi sebagai versi 3/)
      .waitFor();
    await screenshot(admin, 'console-rules-rolled-back');
  }, 180_000);

  it('reaches only the rules API of the router, and only with an open session', async () => {
    const token = await signInApi(stack.status.url, ADMIN.username, ADMIN.password);
    const get = (path: string, auth = token) =>
      fetch(`${stack.webUrl}/api/router${path}`, { headers: { Authorization: `Bearer ${auth}` } });
    expect((await get('/v1/admin/rules')).status).toBe(200);
    expect((await get('/metrics')).status).toBe(404);
    expect((await get('/v1/admin/preview')).status).toBe(404);
    // Signed out at the status service: the router would still take the token's signature.
    await fetch(`${stack.status.url}/v1/officer/auth/sign-out`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(
      (
        await fetch(`${router.url.replace(/\/v1.*$/, '')}/v1/admin/rules`, {
          headers: { Authorization: `Bearer ${token}` },
        })
      ).status,
    ).toBe(200);
    const refused = await get('/v1/admin/rules');
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
