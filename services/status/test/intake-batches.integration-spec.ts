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
