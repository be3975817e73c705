import { randomUUID } from 'node:crypto';
import type { ComplaintReceived, ReportLifecycle } from '@aduan/contracts';
import { capturedLogger, collectEvents, eventually } from '@aduan/testing';
import { CitizenNotifier } from '../src/notifications/citizen-notifier';
import { findPublicReport } from '../src/public/public-report';
import { ReportStore } from '../src/reports/report-store';
import { SlaClocks } from '../src/sla/sla-clocks';
import { HolidayCalendar } from '../src/sla/working-days';
import { IdentityVault } from '../src/vault/identity-vault';
import {
  createStack,
  deadLetters,
  receivedEvent,
  routedEvent,
  start,
  TestClock,
  type Instance,
  type Stack,
} from './harness';

/**
 * The intake is stored a batch at a time, one transaction per batch (ADR 0067), and the outbox
 * relays a page at once: what a citizen and the downstream apps see must not change.
 */
describe('status: intake in batches and the outbox relayed a page at once', () => {
  const { logger, lines } = capturedLogger('status');
  const clock = new TestClock(new Date('2026-01-05T04:00:00Z'));
  let stack: Stack;
  let service: Instance;
  let store: ReportStore;
  let poison: ComplaintReceived;
  let neighbours: ComplaintReceived[];
  let elsewhere: ComplaintReceived[];

  beforeAll(async () => {
    stack = await createStack('status_batches', logger);
    await stack.bus.ensureTopics(['aduan.complaint.received.v1', 'aduan.complaint.routed.v1']);
    // Published before the service joins, so the first fetch of that partition is one batch.
    // PostgreSQL text cannot hold NUL: the contract lets it through, the database never will.
    poison = receivedEvent({ text: 'Jalan rusak\u0000 di depan pasar Senen' });
    const { partition } = await stack.bus.publish('aduan.complaint.received.v1', poison);
    neighbours = [];
    elsewhere = [];
    while (neighbours.length < 4) {
      const e = receivedEvent();
      const at = await stack.bus.publish('aduan.complaint.received.v1', e);
      (at.partition === partition ? neighbours : elsewhere).push(e);
    }
    service = await start(stack, logger, clock);
    store = new ReportStore(service.db, {
      vault: new IdentityVault(stack.env['REPORTER_DATA_KEY']!),
      clocks: new SlaClocks(HolidayCalendar.fromFile()),
      notifier: new CitizenNotifier(new IdentityVault(stack.env['REPORTER_DATA_KEY']!)),
    });
  });

  afterAll(async () => {
    await service?.stop();
    await stack?.close();
  });

  async function stored(reportIds: string[]): Promise<string[]> {
    const rows = (await service.db.query(
      'SELECT id FROM report WHERE id = ANY($1) AND channel IS NOT NULL ORDER BY id',
      [reportIds],
    )) as Array<{ id: string }>;
    return rows.map((r) => r.id);
  }

  it('stores the rest of a batch and dead-letters only the event the database can never take', async () => {
    const good = [...neighbours, ...elsewhere].map((e) => e.reportId);
    await eventually(async () => expect(await stored(good)).toEqual([...good].sort()), { timeoutMs: 30_000 });
    expect(await stored([poison.reportId])).toEqual([]);

    const dead = await deadLetters(stack, 'aduan.complaint.received.v1', 1_000);
    expect(dead).toEqual([
      {
        key: poison.reportId,
        headers: expect.objectContaining({ dlq_code: 'PG_22021', dlq_kind: 'permanent' }),
      },
    ]);
    // The poison shared its batch with its neighbours: the batch failed whole, then went one by one.
    expect(lines.some((l) => l.includes('batch failed permanently, handling its events one by one'))).toBe(
      true,
    );
    // The partition moved on: an event published after the batch is stored too.
    const later = receivedEvent();
    await stack.bus.publish('aduan.complaint.received.v1', later);
    await eventually(async () => expect(await stored([later.reportId])).toEqual([later.reportId]));
  }, 60_000);

  async function snapshot(reportId: string) {
    const [report] = (await service.db.query(
      'SELECT state, channel, category, unit, visibility, confidential, version FROM report WHERE id = $1',
      [reportId],
    )) as Array<Record<string, unknown>>;
    const history = (await service.db.query(
      'SELECT cause, to_state FROM report_transition WHERE report_id = $1 ORDER BY LEAST(ordinal, 2), at',
      [reportId],
    )) as Array<{ cause: string; to_state: string }>;
    const [{ n }] = (await service.db.query('SELECT count(*)::int AS n FROM outbox WHERE key = $1', [
      reportId,
    ])) as Array<{ n: number }>;
    return { report, history, outboxEvents: n };
  }

  it('ends in the same report whether the batch of routings or of intakes comes first, repeats included', async () => {
    const receivedFirst = [receivedEvent(), receivedEvent()];
    const routedFirst = [receivedEvent(), receivedEvent()];
    // Each batch holds a report twice, as a redelivery would.
    await store.applyReceivedBatch([...receivedFirst, receivedFirst[0]!]);
    await store.applyRoutedBatch([...routedFirst, ...receivedFirst].map((e) => routedEvent(e)));
    await store.applyRoutedBatch([routedEvent(routedFirst[1]!)]);
    await store.applyReceivedBatch([...routedFirst, routedFirst[1]!]);

    const expected = {
      report: {
        state: 'RECEIVED',
        channel: 'whatsapp',
        category: 'Saluran Air, Kali/Sungai',
        unit: { code: 'DSDA', name: 'Dinas Sumber Daya Air' },
        visibility: 'public',
        confidential: false,
        version: 3, // created at 1, one step per transition
      },
      history: [
        { cause: 'received', to_state: 'RECEIVED' },
        { cause: 'routed', to_state: 'RECEIVED' },
      ],
      outboxEvents: 4, // a lifecycle and a state event per transition, none for the repeats
    };
    for (const e of [...receivedFirst, ...routedFirst]) {
      expect(await snapshot(e.reportId)).toEqual(expected);
      expect((await findPublicReport(service.db, e.trackingCode))?.routing).toBe('ROUTED');
    }
  });

  /** What one report ends with: history, clocks and the events queued for it, ids left out. */
  async function outcome(reportId: string) {
    const { report, history } = await snapshot(reportId);
    const clocks = (await service.db.query(
      'SELECT stage, started_at, due_at, met_at FROM sla_clock WHERE report_id = $1 ORDER BY stage',
      [reportId],
    )) as unknown[];
    const events = (await service.db.query(
      `SELECT topic, payload->>'state' AS state, payload->>'sequence' AS sequence, payload->'message'->>'id' AS message
         FROM outbox WHERE key = $1 ORDER BY id`,
      [reportId],
    )) as unknown[];
    return { report, history, clocks, events };
  }

  it('stores a batch as it stores the same events one at a time: states, clocks, events and messages', async () => {
    async function scenario(batched: boolean) {
      const master = receivedEvent();
      const duplicate = receivedEvent();
      const routedOne = receivedEvent();
      const lapor = receivedEvent({ channel: 'lapor' });
      const rejected = receivedEvent();
      const received = [master, duplicate, routedOne, lapor, rejected];
      // The master's news first: one at a time, the duplicate is merged only after it.
      const routed = [
        routedEvent(master, { outcome: 'TRIAGE', unit: null }),
        routedEvent(duplicate, { outcome: 'DUPLICATE', duplicateOf: master.reportId }),
        routedEvent(routedOne),
        routedEvent(lapor),
        routedEvent(rejected, {
          outcome: 'REJECTED',
          unit: null,
          reasons: [{ code: 'spam_or_advertising' }],
        }),
      ];
      if (batched) {
        await store.applyReceivedBatch(received);
        await store.applyRoutedBatch(routed);
      } else {
        for (const e of received) await store.applyReceived(e);
        for (const e of routed) await store.applyRouted(e);
      }
      return Promise.all(received.map((e) => outcome(e.reportId)));
    }
    const [batched, alone] = [await scenario(true), await scenario(false)];
    expect(batched).toEqual(alone);
    const [master, duplicate, routedOne, lapor, rejected] = batched;
    const stages = (r: typeof master) => r!.clocks.map((c) => (c as { stage: string }).stage);
    expect(stages(routedOne)).toEqual(['coordination', 'resolution']);
    expect(stages(lapor)).toHaveLength(5);
    expect(master!.report!['state']).toBe('TRIAGE');
    expect(duplicate!.report!['state']).toBe('MERGED');
    expect(rejected!.clocks.every((c) => (c as { met_at: unknown }).met_at !== null)).toBe(true);
    // A reporter hears of a routing that changed the state, once; "assigned" was told at intake.
    const messages = (r: typeof master) =>
      r!.events.filter((e) => (e as { topic: string }).topic === 'aduan.notification.v1');
    expect(batched.map((r) => messages(r).length)).toEqual([1, 1, 0, 0, 1]);
  });

  it('stores a received and a routed batch of the same new reports written at the same moment, without a retry', async () => {
    // Two partitions' batches side by side (or two instances) create the same report rows at once.
    const reports: string[] = [];
    for (let round = 0; round < 40; round++) {
      const pairs = Array.from({ length: 5 }, () => receivedEvent());
      await Promise.all(
        pairs.flatMap((e) => [store.applyReceivedBatch([e]), store.applyRoutedBatch([routedEvent(e)])]),
      );
      reports.push(...pairs.map((e) => e.reportId));
    }
    const [{ n }] = (await service.db.query(
      `SELECT count(*)::int AS n FROM report_transition WHERE report_id = ANY($1::uuid[])`,
      [reports],
    )) as Array<{ n: number }>;
    expect(n).toBe(reports.length * 2);
  });

  it('publishes a page of many reports with each report’s events in the order they were written', async () => {
    const lifecycle = await collectEvents(stack.bus, 'aduan.report.lifecycle.v1');
    const reports = Array.from({ length: 8 }, () => ({
      id: randomUUID(),
      code: receivedEvent().trackingCode,
    }));
    const steps = 5;
    // Written interleaved in one transaction, so one relay pass finds them all on one page.
    await service.db.transaction(async (tx) => {
      for (let sequence = 1; sequence <= steps; sequence++)
        for (const r of reports) {
          const event: ReportLifecycle = {
            reportId: r.id,
            trackingCode: r.code,
            sequence,
            from: 'RECEIVED',
            to: 'RECEIVED',
            at: new Date(Date.UTC(2026, 0, 5, 4, 0, sequence)).toISOString(),
            actor: { kind: 'system', id: 'router' },
            evidence: [],
          };
          await tx.query(
            `INSERT INTO outbox (topic, key, payload) VALUES ('aduan.report.lifecycle.v1', $1, $2)`,
            [r.id, JSON.stringify(event)],
          );
        }
    });
    service.relay.kick();

    const ids = new Set<string>(reports.map((r) => r.id));
    await eventually(
      () => expect(lifecycle.filter((e) => ids.has(e.reportId))).toHaveLength(reports.length * steps),
      {
        timeoutMs: 20_000,
      },
    );
    for (const r of reports)
      expect(lifecycle.filter((e) => e.reportId === r.id).map((e) => e.sequence)).toEqual([1, 2, 3, 4, 5]);
    await eventually(async () => expect(await service.relay.pending()).toBe(0));
  }, 40_000);
});
