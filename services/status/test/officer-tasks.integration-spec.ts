import type { ReportLifecycle } from '@aduan/contracts';
import { capturedLogger, collectEvents, eventually } from '@aduan/testing';
import type { StatusService } from '../src/app';
import {
  ADMIN,
  createStack,
  intakeRouted,
  OfficerClient,
  photo,
  start,
  TestClock,
  type Stack,
} from './harness';

interface Part {
  id: string;
  unit: { code: string; name: string };
  state: string;
  label: string;
  version: number;
  assignee: { id: string } | null;
  dueAt: string | null;
  overdue: boolean;
  note: string | null;
  allowedActions: string[];
}
interface Detail {
  id: string;
  trackingCode: string;
  state: string;
  version: number;
  unit: { code: string } | null;
  allowedActions: string[];
  tasks: Part[];
  timeline: Array<{ to: string; publicNote: string | null; internalNote: string | null }>;
}
interface Problem {
  code: string;
  message: string;
  problems?: string[];
  currentVersion?: number;
  allowedActions?: string[];
}
interface PublicView {
  state: string;
  timeline: Array<{ state: string; note: string | null; evidence: Array<{ url: string }> }>;
}
interface BulkAnswer {
  results: Array<{ id: string; ok: boolean; status: number; version: number | null; code: string | null }>;
}

describe('officer API: a report coordinated with several units at once', () => {
  const { logger } = capturedLogger('status');
  const clock = new TestClock(new Date('2026-01-05T04:00:00Z'));
  let stack: Stack;
  let service: StatusService & { base: string };
  let admin: OfficerClient;
  let crm: OfficerClient & { id: string };
  let dsda: OfficerClient & { id: string };
  let dbm: OfficerClient & { id: string };
  let dishub: OfficerClient & { id: string };
  let dlh: OfficerClient & { id: string };
  let validator: OfficerClient & { id: string };
  let lifecycle: ReportLifecycle[];

  beforeAll(async () => {
    stack = await createStack('status_tasks', logger);
    service = await start(stack, logger, clock);
    lifecycle = await collectEvents(stack.bus, 'aduan.report.lifecycle.v1');
    admin = await OfficerClient.signIn(service.base, ADMIN.username, ADMIN.password);
    crm = await admin.createOfficer('tasks.crm', 'crm_officer');
    dsda = await admin.createOfficer('tasks.dsda', 'unit_officer', 'DSDA');
    dbm = await admin.createOfficer('tasks.dbm', 'unit_officer', 'DBM');
    dishub = await admin.createOfficer('tasks.dishub', 'unit_officer', 'DISHUB');
    dlh = await admin.createOfficer('tasks.dlh', 'unit_officer', 'DLH');
    validator = await admin.createOfficer('tasks.validator', 'validator');
  });

  afterAll(async () => {
    await service?.stop();
    await stack?.close();
  });

  const detail = async (id: string, as: OfficerClient = admin) =>
    (await as.get<Detail>(`/v1/officer/reports/${id}`)).body;
  const part = (d: Detail, unit: string) => d.tasks.find((t) => t.unit.code === unit && t.state !== 'DONE')!;

  async function coordinate(as: OfficerClient, id: string, body: Record<string, unknown>) {
    const { version } = await detail(id);
    return as.post<Detail & Problem>(`/v1/officer/reports/${id}/tasks`, { version, ...body });
  }

  async function work(
    as: OfficerClient,
    id: string,
    unit: string,
    action: string,
    body: Record<string, unknown> = {},
  ) {
    const p = part(await detail(id), unit);
    return as.post<Detail & Problem>(`/v1/officer/reports/${id}/tasks/${p.id}/${action}`, {
      version: p.version,
      ...body,
    });
  }

  async function publicView(code: string): Promise<PublicView> {
    return (await (await fetch(`${service.base}/v1/public/reports/${code}`)).json()) as PublicView;
  }

  it('moves the report on to validation only after both units are done, each with its own part', async () => {
    const r = await intakeRouted(stack, service, { text: 'Jalan Kramat tergenang, lampu lalu lintas mati' });
    const handed = await coordinate(crm, r.reportId, {
      units: ['DBM', 'DISHUB'],
      note: 'genangan di jalan dan lampu lalu lintas: dua unit sekaligus',
    });
    expect(handed.status).toBe(200);
    expect(handed.body.state).toBe('COORDINATION');
    // The report stays with the unit that holds it; the two units each get a part of it.
    expect(handed.body.unit?.code).toBe('DSDA');
    expect(handed.body.tasks.map((t) => [t.unit.code, t.state, t.label])).toEqual([
      ['DBM', 'OPEN', 'Menunggu'],
      ['DISHUB', 'OPEN', 'Menunggu'],
    ]);
    for (const t of handed.body.tasks)
      expect(new Date(t.dueAt!).getTime() - clock.now.getTime()).toBe(7 * 24 * 3600_000);

    // Each unit finds the report in its own queue and may work its own part only.
    const queue = await dbm.get<{ items: Array<{ id: string }> }>('/v1/officer/queue');
    expect(queue.body.items.map((i) => i.id)).toContain(r.reportId);
    const asDbm = await detail(r.reportId, dbm);
    expect(part(asDbm, 'DBM').allowedActions).toEqual(['claim', 'assign', 'start']);
    expect(part(asDbm, 'DISHUB').allowedActions).toEqual([]);
    expect(asDbm.allowedActions).not.toContain('coordinate');
    expect(asDbm.allowedActions).not.toContain('claim');

    // Claiming the part is versioned by the part: an old version is a conflict.
    const claimed = await work(dbm, r.reportId, 'DBM', 'claim');
    expect(claimed.status).toBe(200);
    expect(part(claimed.body, 'DBM').assignee?.id).toBe(dbm.id);
    const stalePart = part(claimed.body, 'DBM');
    const stale = await dbm.post<Problem>(`/v1/officer/reports/${r.reportId}/tasks/${stalePart.id}/start`, {
      version: stalePart.version - 1,
    });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'STALE_VERSION', currentVersion: stalePart.version });

    // The first unit to start takes the report into IN_PROGRESS; the second changes nothing public.
    expect((await work(dbm, r.reportId, 'DBM', 'start')).body.state).toBe('IN_PROGRESS');
    const bothStarted = await work(dishub, r.reportId, 'DISHUB', 'start');
    expect(bothStarted.body.state).toBe('IN_PROGRESS');
    expect(bothStarted.body.timeline.filter((t) => t.to === 'IN_PROGRESS')).toHaveLength(1);
    expect(part(bothStarted.body, 'DISHUB').assignee?.id).toBe(dishub.id);

    // Done needs a note and a photo, as a follow-up does.
    expect((await work(dbm, r.reportId, 'DBM', 'done', { note: 'Genangan dipompa.' })).body.code).toBe(
      'EVIDENCE_REQUIRED',
    );
    const dbmPhoto = await dbm.upload(r.reportId, await photo(31));
    expect(dbmPhoto.status).toBe(201);
    const noNote = await work(dbm, r.reportId, 'DBM', 'done', { evidence: [dbmPhoto.body.id] });
    expect(noNote.status).toBe(400);
    expect(noNote.body.problems).toEqual(['note is required']);

    const oneDone = await work(dbm, r.reportId, 'DBM', 'done', {
      note: 'Genangan dipompa dan saluran tepi jalan dibersihkan.',
      evidence: [dbmPhoto.body.id],
    });
    expect(oneDone.status).toBe(200);
    expect(oneDone.body.tasks.find((t) => t.unit.code === 'DBM')!.state).toBe('DONE');
    // One unit done is not the report done.
    expect(oneDone.body.state).toBe('IN_PROGRESS');
    expect((await publicView(r.trackingCode)).state).toBe('IN_PROGRESS');

    // The unit holding the report cannot submit the follow-up past the open part.
    const early = await dsda.post<Problem>(`/v1/officer/reports/${r.reportId}/follow-up`, {
      version: oneDone.body.version,
      note: 'selesai',
      evidence: [dbmPhoto.body.id],
    });
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ code: 'ILLEGAL_TRANSITION', allowedActions: ['reject', 'merge'] });
    // And one unit cannot finish another's part.
    const dishubPart = part(oneDone.body, 'DISHUB');
    const foreign = await dbm.post<Problem>(`/v1/officer/reports/${r.reportId}/tasks/${dishubPart.id}/done`, {
      version: dishubPart.version,
      note: 'x',
      evidence: [dbmPhoto.body.id],
    });
    expect(foreign.status).toBe(403);

    const dishubPhoto = await dishub.upload(r.reportId, await photo(32));
    await dbm.post(`/v1/officer/reports/${r.reportId}/notes`, {
      text: 'catatan internal DBM: pompa pinjaman',
    });
    const allDone = await work(dishub, r.reportId, 'DISHUB', 'done', {
      note: 'Lampu lalu lintas diperbaiki.',
      evidence: [dishubPhoto.body.id],
    });
    expect(allDone.status).toBe(200);
    expect(allDone.body.state).toBe('AWAITING_VALIDATION');
    expect(allDone.body.tasks.every((t) => t.state === 'DONE' && t.allowedActions.length === 0)).toBe(true);

    // The citizen reads both units' work in one step, with both photos, and nothing internal.
    const view = await publicView(r.trackingCode);
    expect(view.state).toBe('AWAITING_VALIDATION');
    const step = view.timeline.at(-1)!;
    expect(step.note).toBe(
      'Dinas Bina Marga: Genangan dipompa dan saluran tepi jalan dibersihkan.\nDinas Perhubungan: Lampu lalu lintas diperbaiki.',
    );
    expect(step.evidence).toHaveLength(2);
    const text = JSON.stringify(view);
    expect(text).not.toContain('dua unit sekaligus');
    expect(text).not.toContain('pompa pinjaman');

    const accepted = await validator.post<Detail>(`/v1/officer/reports/${r.reportId}/validate`, {
      version: allDone.body.version,
      decision: 'accept',
    });
    expect(accepted.body.state).toBe('COMPLETED');

    // Downstream hears the hand-over and the completion with the units, in the report's own topic.
    await eventually(() => {
      const mine = lifecycle.filter((e) => e.reportId === r.reportId);
      expect(mine.map((e) => e.to)).toEqual([
        'RECEIVED',
        'RECEIVED',
        'COORDINATION',
        'IN_PROGRESS',
        'AWAITING_VALIDATION',
        'COMPLETED',
      ]);
      expect(mine[2]!.units?.map((u) => u.code)).toEqual(['DBM', 'DISHUB']);
      expect(mine[4]!.units?.map((u) => u.code)).toEqual(['DBM', 'DISHUB']);
      expect(mine[4]!.evidence).toHaveLength(2);
      expect(mine[5]!.units).toBeUndefined();
      expect(JSON.stringify(mine)).not.toContain('dua unit sekaligus');
    });

    // Each part's claim, start and done is audited.
    const audit = (await service.db.query(
      `SELECT action, count(*)::int AS n FROM audit_log WHERE report_id = $1 AND action LIKE 'subtask-%' AND outcome = 'granted' GROUP BY action ORDER BY action`,
      [r.reportId],
    )) as Array<{ action: string; n: number }>;
    expect(audit).toEqual([
      { action: 'subtask-claim', n: 1 },
      { action: 'subtask-done', n: 2 },
      { action: 'subtask-start', n: 2 },
    ]);
  });

  it('refuses units that are not involved, and audits it', async () => {
    const r = await intakeRouted(stack, service);
    await coordinate(crm, r.reportId, { units: ['DBM', 'DISHUB'] });
    expect((await dlh.get(`/v1/officer/reports/${r.reportId}`)).status).toBe(403);
    const d = await detail(r.reportId);
    const p = part(d, 'DBM');
    const res = await dlh.post<Problem>(`/v1/officer/reports/${r.reportId}/tasks/${p.id}/claim`, {
      version: p.version,
    });
    expect(res.status).toBe(403);
    // A part's unit may work its part, not move the report.
    const moved = await dbm.post<Problem>(`/v1/officer/reports/${r.reportId}/coordinate`, {
      version: d.version,
      unit: 'DBM',
    });
    expect(moved.status).toBe(403);
    expect(
      (await dlh.get<{ items: Array<{ id: string }> }>('/v1/officer/queue')).body.items.map((i) => i.id),
    ).not.toContain(r.reportId);
    // Validators judge follow-ups; they do not hand reports out.
    expect((await coordinate(validator, r.reportId, { units: ['DLH', 'DINKES'] })).status).toBe(403);
    const [{ n }] = (await service.db.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE report_id = $1 AND outcome = 'denied'`,
      [r.reportId],
    )) as Array<{ n: number }>;
    expect(n).toBe(4);
  });

  it('answers hostile or mistaken input with a 4xx that names it, and changes nothing', async () => {
    const r = await intakeRouted(stack, service);
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{ units: 'DBM,DISHUB' }, 400, 'units'],
      [{ units: [] }, 400, 'units'],
      [{ units: ['DBM'] }, 400, 'units'],
      [{ units: ['DBM', 42] }, 400, 'units'],
      [{ units: ['DBM', 'X'.repeat(65)] }, 400, 'units'],
      [{ units: Array.from({ length: 11 }, (_, i) => `U${i}`) }, 400, 'units'],
      [{ units: ['DBM', "DISHUB'; DROP TABLE report_task; --"] }, 400, 'UNKNOWN_UNIT'],
      [{ units: ['DBM', 'DISHUB'], note: 'x'.repeat(4001) }, 400, 'note'],
    ];
    for (const [body, status, names] of cases) {
      const res = await coordinate(crm, r.reportId, body);
      expect(res.status).toBe(status);
      expect(JSON.stringify(res.body)).toContain(names);
    }
    const stale = await crm.post<Problem>(`/v1/officer/reports/${r.reportId}/tasks`, {
      version: 1,
      units: ['DBM', 'DISHUB'],
    });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('STALE_VERSION');
    const noVersion = await crm.post<Problem>(`/v1/officer/reports/${r.reportId}/tasks`, {
      units: ['DBM', 'DISHUB'],
    });
    expect(noVersion.status).toBe(428);
    const d = await detail(r.reportId);
    expect(d.tasks).toEqual([]);
    expect(d.state).toBe('RECEIVED');

    const handed = await coordinate(crm, r.reportId, { units: ['DBM', 'DISHUB'] });
    // The same unit twice in one round is refused; a new unit joins the open round.
    expect((await coordinate(crm, r.reportId, { units: ['DBM'] })).body.problems).toEqual(['units']);
    const joined = await coordinate(crm, r.reportId, { units: ['DLH'] });
    expect(joined.status).toBe(200);
    expect(joined.body.tasks.map((t) => t.unit.code)).toEqual(['DBM', 'DISHUB', 'DLH']);
    expect(joined.body.timeline.at(-1)!.publicNote).toBe(
      'Laporan dikoordinasikan dengan Dinas Bina Marga, Dinas Perhubungan dan Dinas Lingkungan Hidup.',
    );
    const p = part(handed.body, 'DBM');
    const base = `/v1/officer/reports/${r.reportId}/tasks`;
    expect((await dbm.post<Problem>(`${base}/${p.id}/explode`, { version: p.version })).status).toBe(404);
    expect((await dbm.post<Problem>(`${base}/not-a-uuid/claim`, { version: p.version })).status).toBe(404);
    expect(
      (await dbm.post<Problem>(`${base}/00000000-0000-4000-8000-000000000000/claim`, { version: 1 })).status,
    ).toBe(404);
    expect((await dbm.post<Problem>(`${base}/${p.id}/claim`, {})).status).toBe(428);
    // Done straight from OPEN skips the start: refused with what is allowed.
    const early = await dbm.post<Problem>(`${base}/${p.id}/done`, { version: p.version, note: 'x' });
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({
      code: 'ILLEGAL_TRANSITION',
      allowedActions: ['claim', 'assign', 'start'],
    });
    // Assigning a part to an officer of another unit is refused.
    const wrong = await crm.post<Problem>(`${base}/${p.id}/assign`, {
      version: p.version,
      officer: dishub.id,
    });
    expect(wrong.status).toBe(400);
    const right = await crm.post<Detail>(`${base}/${p.id}/assign`, { version: p.version, officer: dbm.id });
    expect(part(right.body, 'DBM').assignee?.id).toBe(dbm.id);
    // Evidence of another report does not finish a part.
    expect((await work(dbm, r.reportId, 'DBM', 'start')).status).toBe(200);
    const other = await intakeRouted(stack, service);
    const otherPhoto = await dsda.upload(other.reportId, await photo(33));
    const borrowed = await work(dbm, r.reportId, 'DBM', 'done', {
      note: 'selesai',
      evidence: [otherPhoto.body.id],
    });
    expect(borrowed.body.code).toBe('EVIDENCE_REQUIRED');
  });

  it('records the report done once when the last two units finish at the same moment', async () => {
    const r = await intakeRouted(stack, service);
    await coordinate(crm, r.reportId, { units: ['DBM', 'DISHUB'] });
    await work(dbm, r.reportId, 'DBM', 'start');
    await work(dishub, r.reportId, 'DISHUB', 'start');
    const photos = [
      await dbm.upload(r.reportId, await photo(35)),
      await dishub.upload(r.reportId, await photo(36)),
    ];
    const d = await detail(r.reportId);
    const [a, b] = await Promise.all([
      dbm.post<Detail>(`/v1/officer/reports/${r.reportId}/tasks/${part(d, 'DBM').id}/done`, {
        version: part(d, 'DBM').version,
        note: 'Jalan ditambal.',
        evidence: [photos[0]!.body.id],
      }),
      dishub.post<Detail>(`/v1/officer/reports/${r.reportId}/tasks/${part(d, 'DISHUB').id}/done`, {
        version: part(d, 'DISHUB').version,
        note: 'Rambu dipasang.',
        evidence: [photos[1]!.body.id],
      }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const after = await detail(r.reportId);
    expect(after.state).toBe('AWAITING_VALIDATION');
    const completions = after.timeline.filter((t) => t.to === 'AWAITING_VALIDATION');
    expect(completions).toHaveLength(1);
    expect(completions[0]!.publicNote).toBe(
      'Dinas Bina Marga: Jalan ditambal.\nDinas Perhubungan: Rambu dipasang.',
    );
  });

  it('cancels the open parts when the report is rejected', async () => {
    const r = await intakeRouted(stack, service);
    const handed = await coordinate(crm, r.reportId, { units: ['DBM', 'DISHUB'] });
    expect(handed.body.allowedActions).toEqual(
      expect.arrayContaining(['reject', 'merge', 'coordinate-parallel']),
    );
    expect(handed.body.allowedActions).not.toContain('coordinate');
    const rejected = await crm.post<Detail>(`/v1/officer/reports/${r.reportId}/reject`, {
      version: handed.body.version,
      reason: 'Laporan ganda dari warga yang sama',
    });
    expect(rejected.body.state).toBe('REJECTED');
    expect(rejected.body.tasks.map((t) => t.state)).toEqual(['CANCELLED', 'CANCELLED']);
    expect(
      (await dbm.get<{ items: Array<{ id: string }> }>('/v1/officer/queue')).body.items.map((i) => i.id),
    ).not.toContain(r.reportId);
  });

  describe('bulk actions', () => {
    it('claims several reports at once; a stale version or another unit’s report fails alone', async () => {
      const mine = [
        await intakeRouted(stack, service),
        await intakeRouted(stack, service),
        await intakeRouted(stack, service),
      ];
      const views = await Promise.all(mine.map((r) => detail(r.reportId)));
      const foreign = await intakeRouted(stack, service);
      await admin.post(`/v1/officer/reports/${foreign.reportId}/coordinate`, {
        version: (await detail(foreign.reportId)).version,
        unit: 'DBM',
      });
      const res = await dsda.post<BulkAnswer>('/v1/officer/bulk', {
        action: 'claim',
        reports: [
          { id: views[0]!.id, version: views[0]!.version },
          { id: views[1]!.id, version: views[1]!.version - 1 },
          { id: foreign.reportId, version: (await detail(foreign.reportId)).version },
          { id: views[2]!.id, version: views[2]!.version },
        ],
      });
      expect(res.status).toBe(200);
      expect(res.body.results.map((x) => [x.ok, x.status, x.code])).toEqual([
        [true, 200, null],
        [false, 409, 'STALE_VERSION'],
        [false, 403, 'FORBIDDEN'],
        [true, 200, null],
      ]);
      expect(res.body.results[0]!.version).toBe(views[0]!.version + 1);
      const after = await Promise.all(mine.map((r) => detail(r.reportId)));
      expect(
        after.map((d) => (d as unknown as { assignee: { id: string } | null }).assignee?.id ?? null),
      ).toEqual([dsda.id, null, dsda.id]);
    });

    it('assigns and coordinates several reports, and refuses a malformed request whole', async () => {
      const reports = [await intakeRouted(stack, service), await intakeRouted(stack, service)];
      const views = await Promise.all(reports.map((r) => detail(r.reportId)));
      const assigned = await crm.post<BulkAnswer>('/v1/officer/bulk', {
        action: 'assign',
        officer: dsda.id,
        reports: views.map((v) => ({ id: v.id, version: v.version })),
      });
      expect(assigned.body.results.every((x) => x.ok)).toBe(true);
      const coordinated = await crm.post<BulkAnswer>('/v1/officer/bulk', {
        action: 'coordinate',
        unit: 'DBM',
        note: 'jalan, bukan saluran',
        reports: assigned.body.results.map((x) => ({ id: x.id, version: x.version })),
      });
      expect(coordinated.body.results.map((x) => x.ok)).toEqual([true, true]);
      for (const r of reports) expect((await detail(r.reportId)).unit?.code).toBe('DBM');

      const bad: Array<Record<string, unknown>> = [
        { action: 'delete', reports: [{ id: views[0]!.id, version: 1 }] },
        { action: 'claim', reports: 'all' },
        { action: 'claim', reports: [] },
        { action: 'claim', reports: [{ id: 'x', version: 1 }] },
        { action: 'claim', reports: [{ id: views[0]!.id, version: '3' }] },
        {
          action: 'claim',
          reports: [
            { id: views[0]!.id, version: 3 },
            { id: views[0]!.id, version: 3 },
          ],
        },
        { action: 'claim', reports: Array.from({ length: 51 }, () => ({ id: views[0]!.id, version: 1 })) },
        { action: 'assign', reports: [{ id: views[0]!.id, version: 1 }] },
        { action: 'coordinate', reports: [{ id: views[0]!.id, version: 1 }] },
      ];
      const before = await detail(reports[0]!.reportId);
      for (const body of bad) {
        const res = await crm.post<Problem>('/v1/officer/bulk', body);
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('VALIDATION_FAILED');
      }
      expect((await detail(reports[0]!.reportId)).version).toBe(before.version);
    });
  });
  // Last: it moves the suite's clock a week on.
  it("runs each part's own clock: a part left undone escalates, a part done does not", async () => {
    const r = await intakeRouted(stack, service);
    await coordinate(crm, r.reportId, { units: ['DBM', 'DISHUB'] });
    await work(dbm, r.reportId, 'DBM', 'start');
    const evidence = await dbm.upload(r.reportId, await photo(34));
    await work(dbm, r.reportId, 'DBM', 'done', { note: 'Jalan ditambal.', evidence: [evidence.body.id] });
    const parts = (await detail(r.reportId)).tasks;
    const stageOf = (unit: string) => `subtask:${parts.find((t) => t.unit.code === unit)!.id}`;

    clock.advance(7 * 24 * 3600_000 + 60_000);
    await service.scheduler.tick();
    // A week on, the access tokens of before have long expired.
    admin = await OfficerClient.signIn(service.base, ADMIN.username, ADMIN.password);
    const escalated = (await service.db.query(
      `SELECT stage, level FROM sla_escalation WHERE report_id = $1 AND stage LIKE 'subtask:%'`,
      [r.reportId],
    )) as Array<{ stage: string; level: number }>;
    expect(escalated).toEqual([{ stage: stageOf('DISHUB'), level: 1 }]);
    const after = await detail(r.reportId);
    expect(part(after, 'DISHUB').overdue).toBe(true);
    expect(after.tasks.find((t) => t.unit.code === 'DBM')!.overdue).toBe(false);
    // The citizen reads which clock ran out in words, never the part's id.
    const view = JSON.stringify(await publicView(r.trackingCode));
    expect(view).toContain('penanganan bagian satu unit (7 hari) terlampaui');
    expect(view).not.toContain('subtask:');

    // The public statistics count each part for its own unit, all parts as one stage.
    const day = r.receivedAt.slice(0, 10);
    const stats = (await (
      await fetch(`${service.base}/v1/public/stats/sla?from=${day}&to=${day}`)
    ).json()) as {
      rows: Array<{ unit: { code: string }; stage: string; clocks: number; metOnTime: number }>;
    };
    expect(stats.rows.filter((row) => row.stage.startsWith('subtask:'))).toEqual([]);
    expect(
      stats.rows.find((row) => row.unit.code === 'DISHUB' && row.stage === 'subtask')?.clocks,
    ).toBeGreaterThan(0);
    expect(
      stats.rows.find((row) => row.unit.code === 'DBM' && row.stage === 'subtask')?.metOnTime,
    ).toBeGreaterThan(0);
  });
});
