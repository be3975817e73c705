import type { ReportLifecycle } from '@aduan/contracts';
import { capturedLogger, collectEvents, eventually } from '@aduan/testing';
import { ADMIN, OfficerClient, receivedEvent, routedEvent, start, TestClock, twoInstances } from './harness';

describe('SLA clocks and escalation, with an injected clock, two instances and a restart', () => {
  const { logger } = capturedLogger('status');
  // The report below is received 2026-01-05 03:22 UTC and routed to DSDA at 03:22:02.
  const clock = new TestClock(new Date('2026-01-05T04:00:00Z'));
  const on = twoInstances('status_sla', logger, clock);
  let lifecycle: ReportLifecycle[];

  beforeAll(async () => {
    lifecycle = await collectEvents(on.stack.bus, 'aduan.report.lifecycle.v1');
  });

  async function report(over: Parameters<typeof receivedEvent>[0] = {}) {
    const received = receivedEvent(over);
    await on.stack.bus.publish('aduan.complaint.received.v1', received);
    await on.stack.bus.publish('aduan.complaint.routed.v1', routedEvent(received));
    await eventually(async () => {
      const rows = (await on.a.db.query(
        `SELECT 1 FROM sla_clock WHERE report_id = $1 AND stage = 'coordination'`,
        [received.reportId],
      )) as unknown[];
      expect(rows).toHaveLength(1);
    });
    return received;
  }

  /** The sum of a metric's series on an instance's /metrics. */
  const metric = async (base: string, name: string) =>
    (await (await fetch(`${base}/metrics`)).text())
      .split('\n')
      .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
      .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);

  const escalations = async (id: string) =>
    (await on.a.db.query(
      `SELECT stage, level, target_unit FROM sla_escalation WHERE report_id = $1 ORDER BY stage, level`,
      [id],
    )) as Array<{
      stage: string;
      level: number;
      target_unit: string;
    }>;

  it('escalates an overdue report once, whichever instance looks and however often, across a restart', async () => {
    const late = await report();
    const prompt = await report();
    const admin = await OfficerClient.signIn(on.a.base, ADMIN.username, ADMIN.password);
    const dsda = await admin.createOfficer('dsda1', 'unit_officer', 'DSDA');
    await admin.createOfficer('senen1', 'unit_officer', '31.71.03');
    const detail = await dsda.get<{ version: number; sla: Array<{ stage: string; dueAt: string }> }>(
      `/v1/officer/reports/${prompt.reportId}`,
    );
    expect(detail.body.sla.find((c) => c.stage === 'coordination')!.dueAt).toBe('2026-01-05T09:22:02.000Z');
    expect(detail.body.sla.find((c) => c.stage === 'resolution')!.dueAt).toBe('2026-01-12T03:22:01.000Z');
    expect(
      (await dsda.post(`/v1/officer/reports/${prompt.reportId}/start`, { version: detail.body.version }))
        .status,
    ).toBe(200);

    expect(await on.a.scheduler.tick()).toBe(0); // nothing is due yet
    clock.now = new Date('2026-01-05T09:30:00Z');
    const fired = await Promise.all([
      on.a.scheduler.tick(),
      on.b.scheduler.tick(),
      on.a.scheduler.tick(),
      on.b.scheduler.tick(),
    ]);
    expect(fired.reduce((x, y) => x + y, 0)).toBe(1);
    expect(await escalations(late.reportId)).toEqual([
      { stage: 'coordination', level: 1, target_unit: '31.71.03' },
    ]);
    expect(await escalations(prompt.reportId)).toEqual([]); // started in time
    // What an operator's alert reads: the one overdue clock, from either instance, and one
    // escalation fired between them.
    expect(await metric(on.a.base, 'aduan_sla_overdue_clocks')).toBe(1);
    expect(await metric(on.b.base, 'aduan_sla_overdue_clocks')).toBe(1);
    expect(
      (await metric(on.a.base, 'aduan_sla_escalations_total')) +
        (await metric(on.b.base, 'aduan_sla_escalations_total')),
    ).toBe(1);

    // A restart finds the same rows and fires nothing new.
    await on.a.stop();
    on.a = await start(on.stack, logger, clock);
    expect(await on.a.scheduler.tick()).toBe(0);
    expect(await escalations(late.reportId)).toHaveLength(1);

    // The kecamatan is told, and the escalation is an event on the report's lifecycle.
    // (tokens live 15 minutes of the service's clock, which just moved on by hours)
    const inbox = await (
      await OfficerClient.signIn(on.a.base, 'senen1', 'senen1-password-1')
    ).get<{ items: Array<{ reportId: string; message: string }> }>('/v1/officer/notifications');
    expect(inbox.body.items).toEqual([
      expect.objectContaining({
        reportId: late.reportId,
        message: expect.stringContaining('Kecamatan Senen'),
      }),
    ]);
    await eventually(() => {
      const notes = lifecycle.filter((e) => e.reportId === late.reportId && e.actor.id === 'sla-scheduler');
      expect(notes).toHaveLength(1);
      expect(notes[0]).toMatchObject({
        from: 'RECEIVED',
        to: 'RECEIVED',
        publicNote: expect.stringContaining('dieskalasi ke Kecamatan Senen'),
      });
    });

    // Still ignored: up the chain, one level per period, then no further.
    clock.now = new Date('2026-01-05T15:30:00Z');
    expect(await on.b.scheduler.tick()).toBe(1);
    clock.now = new Date('2026-01-06T00:00:00Z');
    expect(await on.a.scheduler.tick()).toBe(1);
    clock.now = new Date('2026-01-07T00:00:00Z');
    expect(await on.a.scheduler.tick()).toBe(0);
    expect((await escalations(late.reportId)).map((e) => e.target_unit)).toEqual([
      '31.71.03',
      '31.71',
      'VALIDATOR',
    ]);

    // Overdue reports lead the unit's queue.
    const queue = await (
      await OfficerClient.signIn(on.a.base, 'dsda1', 'dsda1-password-1')
    ).get<{ items: Array<{ id: string; due: { overdue: boolean; escalationLevel: number } | null }> }>(
      '/v1/officer/queue',
    );
    expect(queue.body.items[0]).toMatchObject({
      id: late.reportId,
      due: { overdue: true, escalationLevel: 3 },
    });
    // Public state is unchanged by escalation.
    const [row] = (await on.a.db.query('SELECT state FROM report WHERE id = $1', [late.reportId])) as Array<{
      state: string;
    }>;
    expect(row!.state).toBe('RECEIVED');
  });

  it('keeps LAPOR! clocks in working days, skipping weekends and holidays', async () => {
    clock.now = new Date('2026-08-14T03:00:00Z');
    // Friday 14 August 2026, 09:00 WIB; Monday 17 August is Independence Day.
    const r = await report({ channel: 'lapor', receivedAt: '2026-08-14T02:00:00.000Z' });
    // The coordination clock starts with intake; LAPOR!'s own clocks may land a moment later.
    const clocks = await eventually(async () => {
      const rows = (await on.a.db.query(
        `SELECT stage, due_at FROM sla_clock WHERE report_id = $1 AND stage LIKE 'lapor%' ORDER BY due_at`,
        [r.reportId],
      )) as Array<{ stage: string; due_at: Date }>;
      expect(rows).toHaveLength(3);
      return rows;
    });
    expect(clocks.map((c) => [c.stage, c.due_at.toISOString()])).toEqual([
      ['lapor_response', '2026-08-20T02:00:00.000Z'],
      ['lapor_follow_up', '2026-08-24T02:00:00.000Z'],
      ['lapor_completion', '2026-09-01T02:00:00.000Z'], // Maulid Nabi, 25 August, is a holiday too
    ]);
  });
});
