import { eventually } from '@aduan/testing';
import { publicReport, startStack, submitJaki } from './stack';

describe('a complaint end to end: JAKI → Kafka → router → status → public tracking', () => {
  let stack: Awaited<ReturnType<typeof startStack>>;

  beforeAll(async () => {
    stack = await startStack('e2e_intake');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('a located report shows ROUTED with kelurahan, kecamatan, kota and the responsible unit', async () => {
    const { trackingCode } = await submitJaki(stack.jakiUrl, {
      text: 'Jalan berlubang cukup dalam di depan gang masjid, sudah ada motor jatuh',
      category: 'Jalan',
      location: { lat: -6.1706, lon: 106.810469 },
      reporter: { name: 'Rina Wulandari', phone: '081298765432' },
    });
    const report = await eventually(async () => {
      const r = await publicReport(stack.statusUrl, trackingCode);
      if (r['routing'] !== 'ROUTED') throw new Error(`routing is ${String(r['routing'])}`);
      return r;
    });
    expect(report).toMatchObject({
      trackingCode,
      state: 'RECEIVED',
      label: 'Menunggu',
      category: 'Jalan',
      area: {
        kelurahan: { kode: '31.71.01.1002' },
        kecamatan: { kode: '31.71.01' },
        kota: { kode: '31.71' },
      },
    });
    expect((report['unit'] as { name: string }).name).toMatch(/Bina Marga/);
    expect(report['opd']).toEqual({ code: 'DBM', name: 'Dinas Bina Marga' });
    const json = JSON.stringify(report);
    expect(json).not.toContain('Rina');
    expect(json).not.toContain('081298765432');
  });

  it('a report without any location waits in TRIAGE for a CRM officer', async () => {
    const { trackingCode } = await submitJaki(stack.jakiUrl, {
      text: 'Lampu jalan mati sudah seminggu, gelap sekali kalau malam',
    });
    const report = await eventually(async () => {
      const r = await publicReport(stack.statusUrl, trackingCode);
      if (!r['routing']) throw new Error('not routed yet');
      return r;
    });
    expect(report).toMatchObject({ state: 'TRIAGE', routing: 'TRIAGE', area: null });
  });

  it('spam is rejected with a public reason that says why, in Bahasa Indonesia', async () => {
    const { trackingCode } = await submitJaki(stack.jakiUrl, {
      text: 'PROMO!!! Pinjaman online cair 5 menit tanpa jaminan, bunga 0%. Hubungi WA kami sekarang, klik link di bio',
    });
    const report = await eventually(async () => {
      const r = await publicReport(stack.statusUrl, trackingCode);
      if (!r['routing']) throw new Error('not routed yet');
      return r;
    });
    expect(report).toMatchObject({ state: 'REJECTED', label: 'Ditolak', unit: null });
    const timeline = report['timeline'] as Array<{ note: string }>;
    expect(timeline.at(-1)!.note).toBe('Laporan tidak dapat ditindaklanjuti: pesan promosi atau spam');
  });

  it('answers 404 for an unknown tracking code and keeps serving', async () => {
    expect((await fetch(`${stack.statusUrl}/v1/public/reports/ZZZZZ-ZZZZZ`)).status).toBe(404);
    expect((await fetch(`${stack.statusUrl}/v1/public/reports/not-a-code`)).status).toBe(404);
    expect((await fetch(`${stack.statusUrl}/health/ready`)).status).toBe(200);
  });
});
