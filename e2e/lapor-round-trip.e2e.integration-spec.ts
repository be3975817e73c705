import { reportIdFor, type RunningChannel } from '@aduan/channel-sdk';
import type { Notification, ReportLifecycle } from '@aduan/contracts';
import { capturedLogger, collectEvents, eventually } from '@aduan/testing';
import { startChannelLapor } from '../services/channel-lapor/src/lapor';
import {
  laporReport,
  startLaporStandIn,
  TOKEN,
  type LaporStandIn,
} from '../services/channel-lapor/test/lapor-stand-in';
import { startChannelOfficer } from '../services/channel-officer/src/officer';
import { OfficerClient, photo } from '../services/status/test/harness';
import { ADMIN, startStack } from './stack';

const ROAD = { id: '7', parent: '1', topic_name: 'Jalan' };
const LAPOR_ID = 'LPR-20261123-0001';
const SECRET_ID = 'LPR-20261123-0002';

interface Detail {
  id: string;
  version: number;
  state: string;
  channel: string;
  receivedAt: string;
  sla: Array<{ stage: string; startedAt: string; dueAt: string }>;
}

/**
 * A LAPOR! report both ways, with the router and the status service in-process: disposed to the
 * city at the stand-in, read by channel-lapor, routed, coordinated, worked and completed by
 * officers through the officer API, and each state change posted back to LAPOR! once, including
 * the ones made while the adapter was stopped.
 */
describe('SP4N-LAPOR! round trip: in from LAPOR!, worked by officers, every change posted back once', () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let lapor: LaporStandIn;
  let adapter: RunningChannel | undefined;
  let admin: OfficerClient;
  let transitions: ReportLifecycle[];
  let notifications: Notification[];
  const { logger, lines } = capturedLogger('channel-lapor');
  const env = () => ({
    ...stack.env,
    LAPOR_PORT: '0',
    LAPOR_API_BASE_URL: lapor.url,
    LAPOR_API_TOKEN: TOKEN,
    LAPOR_POLL_INTERVAL_SECONDS: '1',
  });

  beforeAll(async () => {
    // LAPOR!'s dates here are fixed, so its clocks are long overdue: a scheduler tick during the
    // officers' work would add escalations to the exact list of changes posted back.
    stack = await startStack('e2e_lapor', { SLA_CHECK_INTERVAL_MS: String(3_600_000) });
    lapor = await startLaporStandIn();
    adapter = await startChannelLapor(env(), logger);
    admin = await OfficerClient.signIn(stack.statusUrl, ADMIN.username, ADMIN.password);
    transitions = await collectEvents(stack.bus, 'aduan.report.lifecycle.v1');
    notifications = await collectEvents(stack.bus, 'aduan.notification.v1');
  });
  afterAll(async () => {
    await adapter?.stop();
    await lapor?.close();
    await stack?.stop();
  });

  const reportId = reportIdFor('lapor', LAPOR_ID);
  const detail = async (id = reportId) => {
    const res = await admin.get<Detail>(`/v1/officer/reports/${id}`);
    if (res.status !== 200) throw new Error(`report detail: ${res.status}`);
    return res.body;
  };
  /** One officer action with the version just read. */
  const act = async (action: string, body: Record<string, unknown>, id = reportId) => {
    const { version } = await detail(id);
    const res = await admin.post<Detail>(`/v1/officer/reports/${id}/${action}`, { ...body, version });
    expect(res.status).toBe(200);
    return res.body;
  };
  const statusPosts = (laporId = LAPOR_ID) =>
    lapor.posted.filter((p) => p.kind === 'status' && p.laporId === laporId);
  const mine = (t: { reportId: string }) => t.reportId === reportId;

  it('a report LAPOR! disposed to the city is routed, and its LAPOR! clocks run from the disposition', async () => {
    lapor.dispose(
      laporReport(LAPOR_ID, 'Jalan berlubang cukup dalam di depan gang masjid, sudah ada motor jatuh.', {
        tanggal_laporan: '2026-11-20T02:15:00.000Z',
        tanggal_disposisi: '2026-11-23T03:00:00.000Z',
        lokasi: { lat: -6.1706, lng: 106.810469, alamat: 'Jl. Tanah Abang' },
        kategori: ROAD,
      }),
    );
    const routed = await eventually(async () => {
      const d = await detail();
      expect((d as unknown as { unit: { code: string } | null }).unit).not.toBeNull();
      return d;
    });
    expect(routed).toMatchObject({
      channel: 'lapor',
      state: 'RECEIVED',
      receivedAt: '2026-11-23T03:00:00.000Z',
    });
    const lapors = routed.sla.filter((c) => c.stage.startsWith('lapor_'));
    expect(lapors.map((c) => c.stage).sort()).toEqual([
      'lapor_completion',
      'lapor_follow_up',
      'lapor_response',
    ]);
    for (const c of lapors) expect(c.startedAt).toBe('2026-11-23T03:00:00.000Z');
    // 23 Nov 2026 is a Monday: three working days later is Thursday the 26th.
    expect(lapors.find((c) => c.stage === 'lapor_response')!.dueAt).toMatch(/^2026-11-26/);
  });

  it('coordinated, worked and completed by officers: each change posted to LAPOR! once, across an adapter restart', async () => {
    await act('coordinate', { unit: 'DSDA', note: 'Saluran di bawah jalan tersumbat' });
    await eventually(() =>
      expect(statusPosts().map((p) => p.body['status_instansi'])).toContain('COORDINATION'),
    );

    // The adapter is away while the work starts and the follow-up is submitted.
    await adapter!.stop();
    adapter = undefined;
    await act('start', { note: 'Petugas menuju lokasi' });
    const upload = await admin.upload(reportId, await photo(11));
    expect(upload.status).toBe(201);
    await act('follow-up', { note: 'Lubang sudah ditambal', evidence: [upload.body.id] });
    adapter = await startChannelLapor(env(), logger);
    await act('validate', { decision: 'accept' });

    const changes = await eventually(() => {
      const mineNow = transitions.filter(mine);
      expect(mineNow.at(-1)?.to).toBe('COMPLETED');
      expect(statusPosts()).toHaveLength(mineNow.length);
      return mineNow;
    });
    // Exactly the city's transitions, in their order, each once, with LAPOR!'s status beside each
    // (the second RECEIVED is the router giving the report its unit).
    expect(changes.map((t) => [t.sequence, t.to])).toEqual(
      statusPosts().map((p) => [p.body['urutan'], p.body['status_instansi']]),
    );
    expect(statusPosts().map((p) => [p.body['urutan'], p.body['status_instansi'], p.body['status']])).toEqual(
      [
        [1, 'RECEIVED', 'diterima'],
        [2, 'RECEIVED', 'diterima'],
        [3, 'COORDINATION', 'didisposisi'],
        [4, 'IN_PROGRESS', 'diproses'],
        [5, 'AWAITING_VALIDATION', 'ditindaklanjuti'],
        [6, 'COMPLETED', 'selesai'],
      ],
    );
    expect(statusPosts().find((p) => p.body['urutan'] === 5)!.body['keterangan']).toBe(
      'Lubang sudah ditambal',
    );
    expect(new Set(statusPosts().map((p) => p.idEksternal)).size).toBe(statusPosts().length);

    // The acknowledgement and each citizen notification became one LAPOR! follow-up.
    const followUps = () => lapor.posted.filter((p) => p.kind === 'tindak-lanjut' && p.laporId === LAPOR_ID);
    const told = await eventually(() => {
      const n = notifications.filter((x) => x.reportId === reportId);
      expect(n.some((x) => x.state === 'COMPLETED')).toBe(true);
      expect(followUps()).toHaveLength(1 + n.length);
      return n;
    });
    expect(followUps().map((p) => p.idEksternal)).toEqual([
      `ack:${reportId}`,
      ...told.map((n) => n.notificationId),
    ]);

    // Nothing more arrives later: once means once.
    await adapter.flushOutbox();
    await new Promise((r) => setTimeout(r, 1500));
    expect(statusPosts()).toHaveLength(changes.length);
  });

  it('a confidential, anonymous LAPOR! report is worked by officers but shown on no public surface', async () => {
    lapor.dispose(
      laporReport(SECRET_ID, 'Ada pungutan liar di loket pelayanan kelurahan setiap pagi.', {
        anonim: true,
        rahasia: true,
      }),
    );
    const secretId = reportIdFor('lapor', SECRET_ID);
    const d = await eventually(async () => {
      const res = await admin.get<Detail & { trackingCode: string }>(`/v1/officer/reports/${secretId}`);
      expect(res.status).toBe(200);
      return res.body;
    });
    expect((await fetch(`${stack.statusUrl}/v1/public/reports/${d.trackingCode}`)).status).toBe(404);
    // An anonymous reporter is never revealed (ADR 0055), and the refusal names nobody.
    const contact = await admin.post(`/v1/officer/reports/${secretId}/contact`, { reason: 'pemeriksaan' });
    expect(contact.status).toBe(403);
    expect(JSON.stringify(contact.body)).toMatch(/anonymous/);
    expect(lines.join('\n')).not.toMatch(/Siti|warga\.example|0812|pungutan/i);
  });

  it("a LAPOR! item an officer entered by hand is LAPOR!'s report: its changes are posted back too", async () => {
    const handId = 'LPR-20261123-0003';
    lapor.exists(handId); // LAPOR! has it; the city heard of it by telephone from LAPOR!'s desk
    const officerEntry = await startChannelOfficer(
      // It verifies the status service's tokens with the status service's public keys (ADR 0057).
      { ...stack.env, OFFICER_PORT: '0', OFFICER_JWKS_URL: `${stack.statusUrl}/.well-known/jwks.json` },
      logger,
    );
    try {
      const res = await fetch(`http://127.0.0.1:${officerEntry.port}/v1/officer/entries`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.token}` },
        body: JSON.stringify({
          channel: 'lapor',
          laporId: handId,
          text: 'Pohon tumbang menutup sebagian jalan, belum ada petugas.',
          receivedAt: '2026-11-23T05:00:00.000Z',
        }),
      });
      expect(res.status).toBe(202);
      const entered = (await res.json()) as { reportId: string };
      expect(entered.reportId).toBe(reportIdFor('lapor', handId));
      await eventually(async () => {
        const d = (await detail(entered.reportId)) as Detail & { routing: unknown };
        expect(d.routing).not.toBeNull();
      });
      await act('reject', { reason: 'Kewenangan pemerintah pusat' }, entered.reportId);
      const rejected = await eventually(() => {
        const found = statusPosts(handId).filter((p) => p.body['status_instansi'] === 'REJECTED');
        expect(found).toHaveLength(1);
        return found[0]!;
      });
      expect(rejected.body).toMatchObject({
        status: 'dikembalikan',
        keterangan: 'Laporan ditolak: Kewenangan pemerintah pusat',
      });
      // Every transition, the first one (which may come before the entry reaches channel-lapor)
      // included, once and in order.
      await eventually(() =>
        expect(statusPosts(handId).map((p) => [p.body['urutan'], p.body['status_instansi']])).toEqual(
          transitions.filter((t) => t.reportId === entered.reportId).map((t) => [t.sequence, t.to]),
        ),
      );
      expect(statusPosts(handId)[0]!.body['status_instansi']).toBe('RECEIVED');
    } finally {
      await officerEntry.stop();
    }
  });
});
