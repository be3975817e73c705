import { runChannel, type RunningChannel } from '@aduan/channel-sdk';
import type { ComplaintReceived } from '@aduan/contracts';
import {
  capturedLogger,
  collectEvents,
  createTestDatabase,
  describeChannelConformance,
  eventually,
  testEnv,
  uniqueTopicPrefix,
  type ConformanceHarness,
} from '@aduan/testing';
import sharp from 'sharp';
import { lapor } from '../src/lapor';
import {
  AGENCY,
  cursorPassed,
  laporReport,
  startLaporStandIn,
  TOKEN,
  TOPIC,
  type LaporStandIn,
} from './lapor-stand-in';

async function setUp(label: string) {
  const [db, api] = await Promise.all([createTestDatabase(label), startLaporStandIn()]);
  const { logger, lines } = capturedLogger('channel-lapor');
  const env: NodeJS.ProcessEnv = {
    LAPOR_PORT: '0',
    LAPOR_API_BASE_URL: api.url,
    LAPOR_API_TOKEN: TOKEN,
    LAPOR_AGENCY_ID: AGENCY,
    LAPOR_POLL_INTERVAL_SECONDS: '1',
    LAPOR_RETRY_MAX_SECONDS: '1',
    DATABASE_URL: db.url,
    KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
    KAFKA_TOPIC_PREFIX: uniqueTopicPrefix(),
  };
  return { db, api, env, logger, lines };
}

/** Lists a report at the stand-in and resolves once the adapter's cursor has passed it. */
async function place(
  running: RunningChannel,
  api: LaporStandIn,
  report: Record<string, unknown>,
): Promise<number> {
  const listed = api.dispose(report);
  await eventually(async () => {
    const cursor = await running.context.store.cursors.load('lapor', 'lapor:disposisi');
    expect(cursorPassed(cursor, listed)).toBe(true);
  });
  return 200;
}

const laporIdOf = (id: string) => `LPR${id}`;

/**
 * LAPOR! is read, not posted to us: a delivery lists a report at the stand-in and resolves once
 * the adapter's cursor has passed it. The acknowledgement is the follow-up the city posts on the
 * LAPOR! report. The forged item is a report the list names as disposed to another agency.
 */
async function harness(): Promise<ConformanceHarness<RunningChannel>> {
  const { db, api, env, logger } = await setUp('lapor_conformance');
  return {
    channel: 'lapor',
    start: () => runChannel(lapor, env, logger),
    deliver: (running, id, text) => place(running, api, laporReport(laporIdOf(id), text)),
    deliverForged: (running, id) =>
      place(
        running,
        api,
        laporReport(laporIdOf(id), `Palsu ${id}`, { instansi: { id: '9999', nama: 'Lain' } }),
      ),
    // A place off the globe breaks the event contract: never readable.
    deliverUnreadable: (running, id) =>
      place(
        running,
        api,
        laporReport(laporIdOf(id), `Lokasi aneh ${id}`, { lokasi: { lat: 912, lng: 106.8 } }),
      ),
    placeWhileStopped: async (id, text) => void api.dispose(laporReport(laporIdOf(id), text)),
    sent: () =>
      api.posted
        .filter((p) => p.kind === 'tindak-lanjut')
        .map((p) => ({ to: p.laporId, text: String(p.body['isi']) })),
    addressOf: laporIdOf,
    providerUp: (up) => {
      api.up = up;
    },
    close: async () => {
      await api.close();
      await db.drop();
    },
  };
}

describe('channel-lapor: SP4N-LAPOR! on the channel kit', () => {
  describeChannelConformance(harness, { ingress: 'poll' });

  describe('LAPOR! reports', () => {
    let s: Awaited<ReturnType<typeof setUp>>;
    let running: RunningChannel;
    let received: ComplaintReceived[];
    beforeAll(async () => {
      s = await setUp('lapor_reports');
      running = await runChannel(lapor, s.env, s.logger);
      received = await collectEvents(running.context.bus, 'aduan.complaint.received.v1');
    });
    afterAll(async () => {
      await running.stop();
      await s.api.close();
      await s.db.drop();
    });
    const about = (laporId: string) => received.filter((e) => e.source.id === laporId);

    it('the legacy sample, served by the stand-in, becomes exactly one report with its text, reporter, photo and place', async () => {
      const photo = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#c33' } })
        .jpeg()
        .toBuffer();
      const report = laporReport('LPR-FIXTURE-1', 'Jaringan internet di kantor kelurahan mati sejak Senin.', {
        tanggal_laporan: '2026-11-20T02:15:00.000Z',
        tanggal_disposisi: '2026-11-23T03:00:00.000Z',
        lokasi: { lat: -6.1754, lng: 106.8272, alamat: 'Jl. Medan Merdeka' },
        lampiran: [
          { nama: 'foto.jpg', url: s.api.file('foto.jpg', photo, 'image/jpeg'), tipe: 'image/jpeg' },
        ],
      });
      await place(running, s.api, report);
      await eventually(() => expect(about('LPR-FIXTURE-1')).toHaveLength(1));
      const [e] = about('LPR-FIXTURE-1');
      expect(e).toMatchObject({
        channel: 'lapor',
        text: 'Jaringan internet di kantor kelurahan mati sejak Senin.',
        subject: `[LAPOR! ${TOPIC.topic_name}] Laporan LPR-FIXTURE-1`,
        reporter: { anonymous: false, answers: true },
        location: { lat: -6.1754, lon: 106.8272 },
        visibility: 'public',
        // LAPOR!'s disposition to the city starts the city's clocks; its own creation is the source time.
        receivedAt: '2026-11-23T03:00:00.000Z',
        source: { id: 'LPR-FIXTURE-1', receivedAt: '2026-11-20T02:15:00.000Z' },
      });
      expect(await running.keptContact(e!)).toMatchObject({ name: 'Siti Rahmawati', phone: '081234567890' });
      expect(e!.confidential).toBeFalsy();
      expect(e!.attachments).toHaveLength(1);
      const stored = await fetch(
        e!.attachments[0]!.url.replace(/^http:\/\/127\.0\.0\.1:\d+/, `http://127.0.0.1:${running.port}`),
      );
      expect(stored.status).toBe(200);
      expect(stored.headers.get('content-type')).toBe('image/jpeg');
      // The city answers on the LAPOR! report with its tracking code, once.
      await eventually(() =>
        expect(s.api.posted.filter((p) => p.laporId === 'LPR-FIXTURE-1')).toEqual([
          expect.objectContaining({
            kind: 'tindak-lanjut',
            body: expect.objectContaining({ isi: expect.stringContaining(e!.trackingCode) }),
          }),
        ]),
      );
    });

    it('anonim: no name or contact enters the event, even when LAPOR! sends one; rahasia: private and confidential', async () => {
      await place(
        running,
        s.api,
        laporReport('LPR-ANON-1', 'Pungutan liar di loket kelurahan.', { anonim: true, rahasia: true }),
      );
      await eventually(() => expect(about('LPR-ANON-1')).toHaveLength(1));
      const [e] = about('LPR-ANON-1');
      expect(e!.reporter).toEqual({ anonymous: true, ref: expect.stringMatching(/^rp_/), answers: true });
      expect(await running.keptContact(e!)).toBeNull();
      expect(JSON.stringify(e)).not.toMatch(/Siti|warga\.example|0812/);
      expect(e!.visibility).toBe('private');
      expect(e!.confidential).toBe(true);
      expect(s.lines.join('\n')).not.toMatch(/Siti|warga\.example|0812|Pungutan/);
    });

    it('overlapping pages create nothing new', async () => {
      s.api.overlap = true;
      try {
        await place(running, s.api, laporReport('LPR-OVL-1', 'Lampu taman mati.'));
        await place(running, s.api, laporReport('LPR-OVL-2', 'Air PAM keruh.'));
        // Each poll (every second) reads the last report again; give it several polls.
        const served = s.api.served;
        await new Promise((r) => setTimeout(r, 2500));
        expect(s.api.served - served).toBeGreaterThan(1);
        expect(about('LPR-OVL-1')).toHaveLength(1);
        expect(about('LPR-OVL-2')).toHaveLength(1);
        await running.flushOutbox();
        expect(s.api.posted.filter((p) => p.laporId === 'LPR-OVL-2')).toHaveLength(1);
      } finally {
        s.api.overlap = false;
      }
    });

    it('a report in a language the city does not read is still a report', async () => {
      await place(
        running,
        s.api,
        laporReport('LPR-LANG-1', 'Ada ho ndang marhapuran di dalan i.', { bahasa: 'bbc' }),
      );
      await eventually(() => expect(about('LPR-LANG-1')).toHaveLength(1));
      expect(about('LPR-LANG-1')[0]!.text).toBe('Ada ho ndang marhapuran di dalan i.');
    });

    it('a revoked token: not ready with LAPOR!’s reason, retried without a crash, and ready again with a new token', async () => {
      s.api.revoke(TOKEN);
      try {
        const ready = await eventually(async () => {
          const res = await fetch(`http://127.0.0.1:${running.port}/health/ready`);
          expect(res.status).toBe(503);
          return res.text();
        });
        expect(ready).toMatch(/lapor-token/);
        expect(ready).toMatch(/401.*TOKEN_TIDAK_BERLAKU/);
        s.api.dispose(laporReport('LPR-TOKEN-1', 'Trotoar rusak di depan sekolah.'));
        // Still polling, still refused: nothing taken in, the process serves on.
        await new Promise((r) => setTimeout(r, 1500));
        expect(about('LPR-TOKEN-1')).toHaveLength(0);
        expect((await fetch(`http://127.0.0.1:${running.port}/health/live`)).status).toBe(200);
      } finally {
        s.api.grant(TOKEN);
      }
      await eventually(() => expect(about('LPR-TOKEN-1')).toHaveLength(1));
      await eventually(async () =>
        expect((await fetch(`http://127.0.0.1:${running.port}/health/ready`)).status).toBe(200),
      );
    });
  });
});
