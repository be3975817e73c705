import { randomUUID } from 'node:crypto';
import { STATE_LABELS, type ComplaintReceived, type ComplaintRouted } from '@aduan/contracts';
import { openDatabase } from '@aduan/persistence';
import { createTestDatabase, type TestDatabase } from '@aduan/testing';
import type { DataSource } from 'typeorm';
import { randomBytes } from 'node:crypto';
import { statusMigrations } from '../src/database/migrations';
import { CitizenNotifier } from '../src/notifications/citizen-notifier';
import { SlaClocks } from '../src/sla/sla-clocks';
import { HolidayCalendar } from '../src/sla/working-days';
import { IdentityVault } from '../src/vault/identity-vault';
import { findOpen311Reports } from '../src/public/open311-requests';
import { findPublicReport } from '../src/public/public-report';
import { ReportStore } from '../src/reports/report-store';

function received(reportId: string): ComplaintReceived {
  return {
    reportId,
    trackingCode: 'ABCDE-FGHJK',
    channel: 'whatsapp',
    source: { id: 'wamid.1', receivedAt: '2026-01-05T03:22:00.000Z' },
    reporter: { name: 'Siti Rahma', phone: '+6281234567890', anonymous: false },
    text: 'Got mampet di Jl. Kramat Raya, hubungi saya di 0812-3456-7890 ya',
    attachments: [],
    visibility: 'public',
    receivedAt: '2026-01-05T03:22:01.000Z',
  };
}

function routed(reportId: string): ComplaintRouted {
  return {
    reportId,
    trackingCode: 'ABCDE-FGHJK',
    outcome: 'ROUTED',
    category: 'Saluran Air, Kali/Sungai',
    categoryConfidence: 0.9,
    area: {
      kelurahan: { kode: '31.71.03.1008', nama: 'Kenari' },
      kecamatan: { kode: '31.71.03', nama: 'Senen' },
      kota: { kode: '31.71', nama: 'Kota Adm. Jakarta Pusat' },
    },
    placeConfidence: 1,
    unit: { code: 'DSDA', name: 'Dinas Sumber Daya Air' },
    duplicateOf: null,
    reasons: [],
    candidates: [],
    rule: { id: 'default:Saluran Air, Kali/Sungai', version: 1 },
    routedAt: '2026-01-05T03:22:02.000Z',
  };
}

describe('ReportStore on a real PostgreSQL', () => {
  let database: TestDatabase;
  let db: DataSource;
  let store: ReportStore;

  beforeAll(async () => {
    database = await createTestDatabase('status_store');
    const vault = new IdentityVault(randomBytes(32).toString('base64'));
    db = await openDatabase({
      url: database.url,
      entities: [],
      migrations: statusMigrations(vault),
      migrationsTableName: 'status_migrations',
    });
    store = new ReportStore(db, {
      vault,
      clocks: new SlaClocks(HolidayCalendar.fromFile()),
      notifier: new CitizenNotifier(vault),
    });
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  async function snapshot(reportId: string) {
    const [report] = await db.query(
      `SELECT id, tracking_code, channel, text, state, category, area, unit, version, merged_into FROM report WHERE id = $1`,
      [reportId],
    );
    const history = await db.query(
      `SELECT cause, from_state, to_state, at, public_note FROM report_transition WHERE report_id = $1 ORDER BY at, ordinal`,
      [reportId],
    );
    const outbox = await db.query(
      `SELECT topic, payload->>'to' AS "to" FROM outbox WHERE key = $1 ORDER BY id`,
      [reportId],
    );
    return { report, history, events: outbox.length };
  }

  it('ends in the same report whatever the order and however often the events arrive', async () => {
    const inOrder = randomUUID();
    await store.applyReceived(received(inOrder));
    await store.applyRouted(routed(inOrder));

    const chaotic = randomUUID();
    await store.applyRouted({ ...routed(chaotic), trackingCode: 'KLMNP-QRSTV' });
    await store.applyRouted({ ...routed(chaotic), trackingCode: 'KLMNP-QRSTV' });
    await store.applyReceived({ ...received(chaotic), trackingCode: 'KLMNP-QRSTV' });
    await store.applyReceived({ ...received(chaotic), trackingCode: 'KLMNP-QRSTV' });

    const a = await snapshot(inOrder);
    const b = await snapshot(chaotic);
    const strip = (s: typeof a) => ({
      ...s,
      report: { ...s.report, id: undefined, tracking_code: undefined },
    });
    expect(strip(b)).toEqual(strip(a));
    expect(a.report.state).toBe('RECEIVED');
    expect(a.report.unit).toEqual({ code: 'DSDA', name: 'Dinas Sumber Daya Air' });
    expect(a.history.map((h: { to_state: string }) => h.to_state)).toEqual(['RECEIVED', 'RECEIVED']);
    expect(a.events).toBe(4); // one lifecycle and one state event per transition, none for repeats
  });

  it("keeps intake before routing even when the router's clock is behind the adapter's", async () => {
    const id = randomUUID();
    await store.applyRouted({
      ...routed(id),
      trackingCode: 'PQRST-23456',
      routedAt: '2026-01-05T03:20:00.000Z',
    });
    await store.applyReceived({
      ...received(id),
      trackingCode: 'PQRST-23456',
      receivedAt: '2026-01-05T03:22:01.000Z',
    });
    const view = await findPublicReport(db, 'PQRST-23456');
    expect(view!.routing).toBe('ROUTED');
    expect(view!.timeline.map((t) => t.note)).toEqual([
      'Laporan diterima dan diberi nomor.',
      'Laporan diteruskan ke Dinas Sumber Daya Air.',
    ]);
  });

  it('shows nothing public of a report whose routing arrived before its intake', async () => {
    const listed = async () =>
      (await findOpen311Reports(db, { limit: 1000, offset: 0 })).map((r) => r.trackingCode);
    const confidential = randomUUID();
    await store.applyRouted({ ...routed(confidential), trackingCode: 'CCCCC-DDDDD' });
    expect(await findPublicReport(db, 'CCCCC-DDDDD')).toBeNull();
    expect(await listed()).not.toContain('CCCCC-DDDDD');
    await store.applyReceived({ ...received(confidential), trackingCode: 'CCCCC-DDDDD', confidential: true });
    expect(await findPublicReport(db, 'CCCCC-DDDDD')).toBeNull();
    expect(await listed()).not.toContain('CCCCC-DDDDD');

    const open = randomUUID();
    await store.applyRouted({ ...routed(open), trackingCode: 'EEEEE-FFFFF' });
    expect(await listed()).not.toContain('EEEEE-FFFFF');
    await store.applyReceived({ ...received(open), trackingCode: 'EEEEE-FFFFF' });
    expect((await findPublicReport(db, 'EEEEE-FFFFF'))?.routing).toBe('ROUTED');
    expect(await listed()).toContain('EEEEE-FFFFF');
  });

  it('refuses to rewrite or delete history', async () => {
    const id = randomUUID();
    await store.applyReceived({ ...received(id), trackingCode: 'WXYZ2-34567' });
    await expect(
      db.query(`UPDATE report_transition SET to_state = 'COMPLETED' WHERE report_id = $1`, [id]),
    ).rejects.toThrow(/append-only/);
    await expect(db.query(`DELETE FROM report_transition WHERE report_id = $1`, [id])).rejects.toThrow(
      /append-only/,
    );
    await expect(db.query(`DELETE FROM report WHERE id = $1`, [id])).rejects.toThrow(/append-only/);
  });

  it('shows the public nothing about the reporter, not even contact data written into the text', async () => {
    const id = randomUUID();
    await store.applyReceived({ ...received(id), trackingCode: 'MNPQR-23456' });
    await store.applyRouted({ ...routed(id), trackingCode: 'MNPQR-23456' });
    const view = await findPublicReport(db, 'MNPQR-23456');
    const json = JSON.stringify(view);
    expect(view).toMatchObject({
      state: 'RECEIVED',
      label: 'Menunggu',
      routing: 'ROUTED',
      unit: { code: 'DSDA' },
    });
    expect(view!.area!.kelurahan.nama).toBe('Kenari');
    expect(view!.timeline.map((t) => t.note)).toEqual([
      'Laporan diterima dan diberi nomor.',
      'Laporan diteruskan ke Dinas Sumber Daya Air.',
    ]);
    for (const secret of ['Siti', '6281234567890', '0812-3456-7890', 'wamid'])
      expect(json).not.toContain(secret);
  });

  it("a duplicate is merged into its master and shows the incident's state under its own code only", async () => {
    const master = randomUUID();
    const dup = randomUUID();
    await store.applyReceived({ ...received(master), trackingCode: 'HJKMN-23456' });
    await store.applyRouted({ ...routed(master), trackingCode: 'HJKMN-23456' });
    await store.applyReceived({ ...received(dup), trackingCode: 'HJKMN-34567' });
    await store.applyRouted({
      ...routed(dup),
      trackingCode: 'HJKMN-34567',
      outcome: 'DUPLICATE',
      duplicateOf: master,
    });
    const view = await findPublicReport(db, 'HJKMN-34567');
    expect(view).toMatchObject({
      trackingCode: 'HJKMN-34567',
      state: 'MERGED',
      label: 'Digabung',
      mergedInto: null,
    });
    // The incident's state and steps, told under the follower's own code.
    expect(view!.incident).toMatchObject({ state: 'RECEIVED', label: STATE_LABELS.RECEIVED });
    expect(view!.incident!.timeline.map((t) => t.state)).toEqual(['RECEIVED', 'RECEIVED']);
    expect(view!.timeline.at(-1)!.note).toMatch(/digabung dengan laporan lain/);
    // Nothing of the master: not its code, its text or its notes.
    const json = JSON.stringify(view);
    expect(json).not.toContain('HJKMN-23456');
    expect(json).not.toContain(master);
    expect(json).not.toContain('Dinas Sumber Daya Air.'); // the master's routing note
  });
});
