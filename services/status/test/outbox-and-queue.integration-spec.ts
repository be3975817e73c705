import { randomUUID } from 'node:crypto';
import type { ReportLifecycle } from '@aduan/contracts';
import { capturedLogger, collectEvents, eventually } from '@aduan/testing';
import type { StatusService } from '../src/app';
import {
  OUTBOX_LOCK_SPACE,
  OUTBOX_PARTITIONS,
  OutboxRelay,
  PUBLISHED_KEPT_DAYS,
} from '../src/outbox/outbox-relay';
import {
  ADMIN,
  createStack,
  deadLetters,
  OfficerClient,
  receivedEvent,
  REPORTER,
  routedEvent,
  start,
  TestClock,
  type Stack,
} from './harness';

describe('status: the outbox keeps flowing and the queue refuses malformed filters', () => {
  const { logger, lines } = capturedLogger('status');
  const clock = new TestClock(new Date('2026-01-05T04:00:00Z'));
  let stack: Stack;
  let service: StatusService & { base: string };
  let admin: OfficerClient;
  let lifecycle: ReportLifecycle[];

  beforeAll(async () => {
    stack = await createStack('status_outbox', logger);
    service = await start(stack, logger, clock);
    lifecycle = await collectEvents(stack.bus, 'aduan.report.lifecycle.v1');
    admin = await OfficerClient.signIn(service.base, ADMIN.username, ADMIN.password);
  });

  afterAll(async () => {
    await service?.stop();
    await stack?.close();
  });

  it('dead-letters an outbox event that breaks its contract and still relays the ones behind it', async () => {
    const poisonKey = randomUUID();
    await service.db.query(
      `INSERT INTO outbox (topic, key, payload) VALUES ('aduan.report.lifecycle.v1', $1, $2)`,
      [poisonKey, JSON.stringify({ reportId: poisonKey, note: 'not a lifecycle event' })],
    );
    const received = receivedEvent();
    await stack.bus.publish('aduan.complaint.received.v1', received);
    await stack.bus.publish('aduan.complaint.routed.v1', routedEvent(received));

    await eventually(
      () =>
        expect(lifecycle.filter((e) => e.reportId === received.reportId).map((e) => e.to)).toEqual([
          'RECEIVED',
          'RECEIVED',
        ]),
      {
        timeoutMs: 20_000,
      },
    );
    const dead = await deadLetters(stack, 'aduan.report.lifecycle.v1');
    expect(dead).toEqual([
      expect.objectContaining({
        key: poisonKey,
        headers: expect.objectContaining({ dlq_code: 'CONTRACT_VIOLATION', dlq_kind: 'permanent' }),
      }),
    ]);
    await eventually(async () => expect(await service.relay.pending()).toBe(0));
    const log = lines.join('\n');
    for (const contact of [REPORTER.name, REPORTER.phone, REPORTER.email]) expect(log).not.toContain(contact);
  }, 40_000);

  it('prunes rows published more than a week ago, and never one still waiting to go out', async () => {
    const key = randomUUID();
    const row = async (publishedAt: string, createdAt = 'now()') => {
      const [r] = (await service.db.query(
        `INSERT INTO outbox (topic, key, payload, created_at, published_at)
         VALUES ('aduan.report.lifecycle.v1', $1, '{}', ${createdAt}, ${publishedAt}) RETURNING id`,
        [key],
      )) as Array<{ id: string }>;
      return r!.id;
    };
    // Every outbox partition held, as another instance relaying would hold them: the waiting
    // row stays unpublished while a fresh relay makes its first pass, which prunes.
    const held = service.db.createQueryRunner();
    await held.connect();
    await held.startTransaction();
    try {
      await held.query(`SELECT pg_advisory_xact_lock($1, p) FROM generate_series(0, $2::int - 1) AS p`, [
        OUTBOX_LOCK_SPACE,
        OUTBOX_PARTITIONS,
      ]);
      await row(`now() - make_interval(days => ${PUBLISHED_KEPT_DAYS}, hours => 1)`); // pruned
      const recent = await row(`now() - make_interval(days => ${PUBLISHED_KEPT_DAYS - 1})`);
      const waiting = await row('NULL', `now() - interval '30 days'`);
      const relay = new OutboxRelay(service.db, stack.bus, logger, 60_000);
      relay.start();
      await eventually(() => expect(lines.join('\n')).toContain('published outbox rows pruned'));
      await relay.stop();
      const left = (await service.db.query('SELECT id FROM outbox WHERE key = $1 ORDER BY id', [
        key,
      ])) as Array<{
        id: string;
      }>;
      expect(left.map((r) => r.id)).toEqual([recent, waiting]);
    } finally {
      await held.rollbackTransaction();
      await held.release();
    }
  });

  it('answers 400 naming the parameter when a queue filter is repeated or out of range', async () => {
    for (const [query, problem] of [
      ['state=RECEIVED&state=TRIAGE', 'state'],
      ['unit=DSDA&unit=DBM', 'unit'],
      ['limit=5&limit=6', 'limit'],
      ['offset=100000000000000000000', 'offset'],
    ] as const) {
      const res = await admin.get<{ code: string; message: string }>(`/v1/officer/queue?${query}`);
      expect({ query, status: res.status, code: res.body.code }).toEqual({
        query,
        status: 400,
        code: 'VALIDATION_FAILED',
      });
      expect(res.body.message).toContain(problem);
    }
    expect((await admin.get('/v1/officer/queue?state=RECEIVED,TRIAGE&limit=5&offset=0')).status).toBe(200);
  });

  it('publishes an officer note that masking made longer than an event may carry, cut to the limit', async () => {
    const received = receivedEvent();
    await stack.bus.publish('aduan.complaint.received.v1', received);
    await stack.bus.publish('aduan.complaint.routed.v1', routedEvent(received));
    const detail = await eventually(async () => {
      const res = await admin.get<{ version: number; state: string; routing?: unknown }>(
        `/v1/officer/reports/${received.reportId}`,
      );
      expect(res.body.state).toBe('RECEIVED');
      // The routing decision bumps the version too; acting before it lands answers 409.
      expect(res.body.routing).toBeTruthy();
      return res.body;
    });
    // 3,996 characters of short e-mail addresses; each becomes the longer "[email]".
    const note = 'a@b.cd '.repeat(571).trim();
    const res = await admin.post(`/v1/officer/reports/${received.reportId}/start`, {
      version: detail.version,
      note,
    });
    expect(res.status).toBe(200);
    const started = await eventually(() => {
      const event = lifecycle.find((e) => e.reportId === received.reportId && e.to === 'IN_PROGRESS');
      expect(event).toBeDefined();
      return event!;
    });
    expect(started.publicNote!.length).toBeLessThanOrEqual(4000);
    expect(started.publicNote).toMatch(/^\[email\] \[email\]/);
    expect(started.publicNote).not.toContain('a@b.cd');
  }, 30_000);
});
