import { randomUUID } from 'node:crypto';
import type { ReportLifecycle, ReportState } from '@aduan/contracts';
import { capturedLogger, collectEvents, eventually } from '@aduan/testing';
import type { StatusService } from '../src/app';
import { ADMIN, createStack, intakeRouted, OfficerClient, start, TestClock, type Stack } from './harness';

interface Detail {
  id: string;
  state: string;
  version: number;
  category: string | null;
  unit: { code: string } | null;
  allowedActions: string[];
  timeline: Array<{
    from: string | null;
    to: string;
    actor: { kind: string; id: string | null; displayName: string | null };
    publicNote: string | null;
    internalNote: string | null;
  }>;
}
interface Problem {
  code: string;
  message: string;
  problems?: string[];
}

const DRAIN = 'Saluran Air, Kali/Sungai';

describe('officer API: re-categorising a report', () => {
  const { logger } = capturedLogger('status');
  const clock = new TestClock(new Date('2026-01-05T04:00:00Z'));
  let stack: Stack;
  let service: StatusService & { base: string };
  let admin: OfficerClient;
  let crm: OfficerClient & { id: string };
  let dsda: OfficerClient & { id: string };
  let dbm: OfficerClient & { id: string };
  let validator: OfficerClient & { id: string };
  let lifecycle: ReportLifecycle[];
  let states: ReportState[];

  beforeAll(async () => {
    stack = await createStack('status_recategorise', logger);
    service = await start(stack, logger, clock);
    lifecycle = await collectEvents(stack.bus, 'aduan.report.lifecycle.v1');
    states = await collectEvents(stack.bus, 'aduan.report.state.v1');
    admin = await OfficerClient.signIn(service.base, ADMIN.username, ADMIN.password);
    crm = await admin.createOfficer('recat.crm', 'crm_officer');
    dsda = await admin.createOfficer('recat.dsda', 'unit_officer', 'DSDA');
    dbm = await admin.createOfficer('recat.dbm', 'unit_officer', 'DBM');
    validator = await admin.createOfficer('recat.validator', 'validator');
  });

  afterAll(async () => {
    await service?.stop();
    await stack?.close();
  });

  const detail = async (id: string, as: OfficerClient = admin) =>
    (await as.get<Detail>(`/v1/officer/reports/${id}`)).body;

  async function recategorise(as: OfficerClient, id: string, body: Record<string, unknown>) {
    const { version } = await detail(id);
    return as.post<Detail & Problem>(`/v1/officer/reports/${id}/recategorise`, { version, ...body });
  }

  async function found(query: string): Promise<string[]> {
    const res = await admin.get<{ items: Array<{ id: string }> }>(`/v1/officer/reports?${query}`);
    expect(res.status).toBe(200);
    return res.body.items.map((hit) => hit.id);
  }

  it('files the report under the new category, keeps its state and unit, and records who did it and why', async () => {
    const r = await intakeRouted(stack, service, { text: 'Air meluap dari got ke rumah warga di Kenari' });
    const before = await detail(r.reportId, dsda);
    expect(before).toMatchObject({ category: DRAIN, state: 'RECEIVED', unit: { code: 'DSDA' } });
    expect(before.allowedActions).toContain('recategorise');

    const res = await recategorise(dsda, r.reportId, {
      category: 'Banjir',
      reason: 'Airnya menggenangi rumah, bukan hanya saluran',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      category: 'Banjir',
      state: 'RECEIVED',
      unit: { code: 'DSDA' },
      version: before.version + 1,
    });
    expect(res.body.timeline.at(-1)).toMatchObject({
      from: 'RECEIVED',
      to: 'RECEIVED',
      actor: { kind: 'officer', id: dsda.id, displayName: 'recat.dsda' },
      publicNote: `Kategori laporan diubah dari ${DRAIN} menjadi Banjir.`,
      internalNote: 'Kategori diubah: Airnya menggenangi rumah, bukan hanya saluran',
    });

    // Search files it under the new category only.
    expect(await found('category=Banjir')).toContain(r.reportId);
    expect(await found(`category=${encodeURIComponent(DRAIN)}`)).not.toContain(r.reportId);

    // The citizen's page shows the new category and what changed, never the officer's reason.
    const page = await fetch(`${service.base}/v1/public/reports/${r.trackingCode}`);
    const publicText = await page.text();
    expect(JSON.parse(publicText)).toMatchObject({ category: 'Banjir', state: 'RECEIVED' });
    expect(publicText).toContain('menjadi Banjir');
    expect(publicText).not.toContain('bukan hanya saluran');

    // Downstream hears it as a lifecycle entry that stays in its state, and the new category on the state topic.
    await eventually(() => {
      const entry = lifecycle.filter((e) => e.reportId === r.reportId).at(-1);
      expect(entry).toMatchObject({
        from: 'RECEIVED',
        to: 'RECEIVED',
        sequence: 3,
        actor: { kind: 'officer' },
      });
      expect(entry!.publicNote).toContain('menjadi Banjir');
      expect(JSON.stringify(entry)).not.toContain('bukan hanya saluran');
      expect(states.filter((s) => s.reportId === r.reportId).at(-1)).toMatchObject({
        category: 'Banjir',
        unit: { code: 'DSDA' },
      });
    });
  });

  it('a retry with the same actionId answers the report as it is, without a second entry', async () => {
    const r = await intakeRouted(stack, service);
    const actionId = randomUUID();
    const body = { category: 'Sampah', reason: 'Got tersumbat sampah rumah tangga', actionId };
    const { version } = await detail(r.reportId);
    const first = await crm.post<Detail>(`/v1/officer/reports/${r.reportId}/recategorise`, {
      ...body,
      version,
    });
    const again = await crm.post<Detail>(`/v1/officer/reports/${r.reportId}/recategorise`, {
      ...body,
      version,
    });
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(again.body.category).toBe('Sampah');
    expect(again.body.timeline).toHaveLength(3);
  });

  it('refuses a bad category, a missing reason and a missing version, naming the problem', async () => {
    const r = await intakeRouted(stack, service);
    const cases: Array<[Record<string, unknown>, number, RegExp, string[] | undefined]> = [
      [
        { category: 'Jalan Rusak', reason: 'bukan saluran' },
        400,
        /category: Jalan Rusak is not a category/,
        ['category'],
      ],
      [{ reason: 'bukan saluran' }, 400, /category is required/, ['category is required']],
      [{ category: 'Jalan' }, 400, /reason is required/, ['reason is required']],
      [{ category: 'Jalan', reason: '  ' }, 400, /reason is required/, ['reason is required']],
      [{ category: DRAIN, reason: 'tetap saluran' }, 400, /already filed under/, ['category']],
    ];
    for (const [body, status, message, problems] of cases) {
      const res = await recategorise(admin, r.reportId, body);
      expect({ body, status: res.status, code: res.body.code, problems: res.body.problems }).toEqual({
        body,
        status,
        code: 'VALIDATION_FAILED',
        problems,
      });
      expect(res.body.message).toMatch(message);
    }
    const unversioned = await admin.post<Problem>(`/v1/officer/reports/${r.reportId}/recategorise`, {
      category: 'Jalan',
      reason: 'lubang di badan jalan',
    });
    expect([unversioned.status, unversioned.body.code]).toEqual([428, 'VERSION_REQUIRED']);
    expect((await detail(r.reportId)).category).toBe(DRAIN);
  });

  it("refuses validators and another unit's officer, with an audit row, and leaves the category alone", async () => {
    const r = await intakeRouted(stack, service);
    const body = { category: 'Jalan', reason: 'lubang di badan jalan' };
    const asValidator = await recategorise(validator, r.reportId, body);
    expect([asValidator.status, asValidator.body.code]).toEqual([403, 'FORBIDDEN']);
    expect((await detail(r.reportId, validator)).allowedActions).not.toContain('recategorise');
    const otherUnit = await recategorise(dbm, r.reportId, body);
    expect([otherUnit.status, otherUnit.body.code]).toEqual([403, 'FORBIDDEN']);
    const audit = (await service.db.query(
      `SELECT officer_id FROM audit_log WHERE report_id = $1 AND action = 'recategorise' AND outcome = 'denied' ORDER BY at`,
      [r.reportId],
    )) as Array<{ officer_id: string }>;
    expect(audit.map((a) => a.officer_id)).toEqual([validator.id, dbm.id]);
    expect((await detail(r.reportId)).category).toBe(DRAIN);
  });

  it('refuses a stale version and a closed report with 409', async () => {
    const r = await intakeRouted(stack, service);
    const { version } = await detail(r.reportId);
    const stale = await admin.post<Problem & { currentVersion: number }>(
      `/v1/officer/reports/${r.reportId}/recategorise`,
      { version: version - 1, category: 'Jalan', reason: 'lubang di badan jalan' },
    );
    expect([stale.status, stale.body.code, stale.body.currentVersion]).toEqual([
      409,
      'STALE_VERSION',
      version,
    ]);

    const rejected = await admin.post<Detail>(`/v1/officer/reports/${r.reportId}/reject`, {
      version,
      reason: 'Bukan wewenang pemerintah provinsi',
    });
    expect(rejected.body.state).toBe('REJECTED');
    expect(rejected.body.allowedActions).not.toContain('recategorise');
    const closed = await recategorise(admin, r.reportId, {
      category: 'Jalan',
      reason: 'lubang di badan jalan',
    });
    expect([closed.status, closed.body.code]).toEqual([409, 'ILLEGAL_TRANSITION']);
  });
});
