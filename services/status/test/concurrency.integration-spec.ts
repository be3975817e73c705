import { randomUUID } from 'node:crypto';
import { EventBus } from '@aduan/bus';
import { STATE_LABELS, type LifecycleState, type ReportLifecycle, type ReportState } from '@aduan/contracts';
import { capturedLogger, collectEvents, eventually, testEnv } from '@aduan/testing';
import { TRANSITIONS } from '../src/lifecycle/state-machine';
import { enqueue } from '../src/outbox/enqueue';
import { OutboxRelay } from '../src/outbox/outbox-relay';
import { ADMIN, intakeRouted, nextTrackingCode, OfficerClient, TestClock, twoInstances } from './harness';

interface Transition {
  from_state: LifecycleState | null;
  to_state: LifecycleState;
  actor: { kind: string };
}

/** Every (from, to) an officer or a citizen may take, from the state machine itself. */
const ALLOWED = new Set(
  Object.values(TRANSITIONS).flatMap((rule) => rule.from.map((from) => `${from}>${rule.to}`)),
);

/**
 * Races SLA escalations (two scheduler instances) against officer actions on the same reports,
 * and two outbox relays against each other, on real PostgreSQL and Kafka (ADR 0054).
 */
describe('status concurrency: escalations against officer actions, relays against relays', () => {
  const { logger } = capturedLogger('status');
  const clock = new TestClock(new Date('2026-01-05T04:00:00Z'));
  const on = twoInstances('status_concurrency', logger, clock);
  let lifecycle: ReportLifecycle[];

  beforeAll(async () => {
    lifecycle = await collectEvents(on.stack.bus, 'aduan.report.lifecycle.v1');
  });

  /** The history in the order every query reads it (ORDINAL in report-store.ts). */
  const history = async (id: string) =>
    (await on.a.db.query(
      `SELECT from_state, to_state, actor FROM report_transition WHERE report_id = $1
        ORDER BY LEAST(ordinal, 2), at, ordinal, id`,
      [id],
    )) as Transition[];

  const stored = async (id: string) =>
    (
      (await on.a.db.query('SELECT state, version FROM report WHERE id = $1', [id])) as Array<{
        state: LifecycleState;
        version: number;
      }>
    )[0]!;

  it('an escalation racing officer actions never moves a report back; history, state and versions agree', async () => {
    const reports = await Promise.all(Array.from({ length: 16 }, () => intakeRouted(on.stack, on.a)));
    const ids = reports.map((r) => r.reportId);

    /** One officer step per report: start it, or hand it to the other unit (which reopens coordination). */
    const act = async (id: string, client: OfficerClient): Promise<boolean> => {
      for (let attempt = 0; attempt < 20; attempt++) {
        const view = await client.get<{ version: number; state: LifecycleState; unit: { code: string } }>(
          `/v1/officer/reports/${id}`,
        );
        const [action, body] =
          view.body.state === 'IN_PROGRESS'
            ? ['coordinate', { unit: view.body.unit.code === 'DSDA' ? 'DBM' : 'DSDA' }]
            : ['start', {}];
        const res = await client.post(`/v1/officer/reports/${id}/${action}`, {
          ...body,
          version: view.body.version,
        });
        if (res.status === 200) return true;
        // An escalation bumped the version in between: reload and try again, as an officer would.
        expect(res).toMatchObject({ status: 409, body: { code: 'STALE_VERSION' } });
      }
      return false;
    };

    // Each round moves the clock to where more escalation levels fall due (coordination at 6,
    // 12, 18 hours; resolution at 7, 14, 21 days), then lets both schedulers and the officers loose.
    const rounds = [
      '2026-01-05T09:30:00Z',
      '2026-01-05T15:30:00Z',
      '2026-01-05T21:30:00Z',
      '2026-01-12T04:00:00Z',
      '2026-01-19T04:00:00Z',
      '2026-01-26T04:00:00Z',
    ];
    let officerSteps = 0;
    let escalations = 0;
    for (const at of rounds) {
      clock.now = new Date(at);
      // Access tokens live 15 minutes of the service's clock: sign in again on each instance.
      const admins = await Promise.all(
        [on.a, on.b].map((s) => OfficerClient.signIn(s.base, ADMIN.username, ADMIN.password)),
      );
      const [acted, fired] = await Promise.all([
        Promise.all(ids.map((id, i) => act(id, admins[i % 2]!))),
        Promise.all([
          on.a.scheduler.tick(),
          on.b.scheduler.tick(),
          on.a.scheduler.tick(),
          on.b.scheduler.tick(),
        ]),
      ]);
      expect(acted.every(Boolean)).toBe(true);
      officerSteps += acted.length;
      escalations += fired.reduce((x, y) => x + y, 0);
    }
    expect(escalations).toBeGreaterThanOrEqual(ids.length * 3); // the resolution clock's three levels at least

    for (const id of ids) {
      const steps = await history(id);
      expect(steps[0]).toMatchObject({ from_state: null, to_state: 'RECEIVED' });
      for (let i = 1; i < steps.length; i++) {
        const { from_state: from, to_state: to, actor } = steps[i]!;
        // Each step starts where the one before it left the report …
        expect(`${i}: ${from}`).toBe(`${i}: ${steps[i - 1]!.to_state}`);
        // … and is one the state machine allows (escalations are notes on the current state).
        if (actor.kind === 'officer') expect(ALLOWED.has(`${from}>${to}`)).toBe(true);
        else if (i > 1) expect(to).toBe(from);
      }
      const report = await stored(id);
      expect(report.state).toBe(steps[steps.length - 1]!.to_state);

      // The outbox, in the order the relays send it: sequences and versions without gaps.
      const events = (await on.a.db.query(
        `SELECT topic, payload FROM outbox WHERE key = $1 AND topic IN ('aduan.report.lifecycle.v1', 'aduan.report.state.v1') ORDER BY id`,
        [id],
      )) as Array<{ topic: string; payload: ReportLifecycle & ReportState }>;
      const sequences = events
        .filter((e) => e.topic === 'aduan.report.lifecycle.v1')
        .map((e) => e.payload.sequence);
      expect(sequences).toEqual(steps.map((_, i) => i + 1));
      const states = events.filter((e) => e.topic === 'aduan.report.state.v1').map((e) => e.payload);
      expect(states.map((s) => s.version)).toEqual(states.map((_, i) => states[0]!.version + i));
      expect(states.at(-1)).toMatchObject({ state: report.state, version: report.version });
    }
    const officerTransitions = (await on.a.db.query(
      `SELECT count(*)::int AS n FROM report_transition WHERE report_id = ANY($1) AND actor->>'kind' = 'officer'`,
      [ids],
    )) as Array<{ n: number }>;
    expect(officerTransitions[0]!.n).toBe(officerSteps);

    // What consumers read, from both instances' relays: each report's lifecycle in order.
    await eventually(
      () => {
        for (const id of ids) {
          const seen = lifecycle.filter((e) => e.reportId === id).map((e) => e.sequence);
          expect(seen).toEqual(seen.map((_, i) => i + 1));
          expect(seen.length).toBeGreaterThanOrEqual(2 + officerSteps / ids.length);
        }
      },
      { timeoutMs: 30_000 },
    );
  });

  it('merging two reports into each other at once: one merge wins, the other is told why, no deadlock', async () => {
    const admin = await OfficerClient.signIn(on.a.base, ADMIN.username, ADMIN.password);
    for (let pair = 0; pair < 6; pair++) {
      const [x, y] = await Promise.all([intakeRouted(on.stack, on.a), intakeRouted(on.stack, on.a)]);
      const merge = async (from: typeof x, into: typeof x) => {
        const view = await admin.get<{ version: number }>(`/v1/officer/reports/${from.reportId}`);
        return admin.post<{ code?: string }>(`/v1/officer/reports/${from.reportId}/merge`, {
          version: view.body.version,
          master: into.trackingCode,
        });
      };
      const results = await Promise.all([merge(x, y), merge(y, x)]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      // Told that the master is merged already, not that the database gave up on a deadlock.
      expect(results.find((r) => r.status === 409)!.body).toMatchObject({ code: 'ILLEGAL_TRANSITION' });
      const states = await Promise.all([stored(x.reportId), stored(y.reportId)]);
      expect(states.map((s) => s.state).sort()).toEqual(['MERGED', 'RECEIVED']);
    }
  });

  it('two relays publishing many events of the same reports: each report arrives in order and ends on its latest state', async () => {
    // The service's own relays stand aside; two relays with producers of their own take over.
    await on.a.relay.stop();
    await on.b.relay.stop();
    const producers = await Promise.all(
      ['relay-a', 'relay-b'].map(async (clientId) => {
        const bus = new EventBus({
          brokers: testEnv.kafkaBrokers,
          clientId,
          source: '/status',
          logger,
          topicPrefix: on.stack.prefix,
        });
        await bus.connect();
        return bus;
      }),
    );
    const received = await collectEvents(on.stack.bus, 'aduan.report.state.v1');
    const reports = Array.from({ length: 12 }, () => ({ id: randomUUID(), code: nextTrackingCode() }));
    const VERSIONS = 40;
    // Written as the store writes them: one transaction per change, reports interleaved.
    for (let version = 1; version <= VERSIONS; version++) {
      await on.a.db.transaction(async (tx) => {
        for (const r of reports) {
          const state: LifecycleState = version % 2 ? 'IN_PROGRESS' : 'COORDINATION';
          await enqueue(tx, 'aduan.report.state.v1', {
            reportId: r.id,
            trackingCode: r.code,
            state,
            label: STATE_LABELS[state],
            category: null,
            unit: null,
            area: null,
            mergedInto: null,
            updatedAt: new Date(Date.UTC(2026, 0, 5, 4, 0, version)).toISOString(),
            version,
          });
        }
      });
    }
    const relays = producers.map((bus) => new OutboxRelay(on.a.db, bus, logger, 50));
    try {
      relays.forEach((relay) => relay.start());
      await eventually(async () => expect(await relays[0]!.pending()).toBe(0), { timeoutMs: 30_000 });
      await eventually(
        () => {
          for (const r of reports) {
            const versions = received.filter((e) => e.reportId === r.id).map((e) => e.version);
            // The order consumed is the order written; the last one per key is what compaction keeps.
            expect(versions).toEqual(Array.from({ length: VERSIONS }, (_, i) => i + 1));
          }
        },
        { timeoutMs: 30_000 },
      );
    } finally {
      await Promise.all(relays.map((relay) => relay.stop()));
      await Promise.all(producers.map((bus) => bus.close()));
    }
  });
});
