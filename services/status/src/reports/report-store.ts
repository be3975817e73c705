import {
  STATE_LABELS,
  type Actor,
  type Area,
  type ComplaintReceived,
  type ComplaintRouted,
  type Evidence,
  type LifecycleState,
  type ReportLifecycle,
  type ReportState,
  type Unit,
} from '@aduan/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import { traceHeaders } from '@aduan/platform';
import type { Change, CitizenNotifier } from '../notifications/citizen-notifier';
import { enqueueAll, type OutboxEvent, type TraceHeaders } from '../outbox/enqueue';
import type { SlaClocks } from '../sla/sla-clocks';
import type { IdentityVault } from '../vault/identity-vault';
import { routingPublicNote, stateAfterRouting } from './public-notes';
import { publicTextOf } from './public-text';

/**
 * Intake and routing happen in that order whatever the clocks of the services that stamped
 * them say; after routing, officer and system transitions order by time. Queries order by
 * LEAST(ordinal, 2) first, then time.
 */
export const ORDINAL = { received: 0, routed: 1, officer: 2, system: 3 } as const;

/** Evidence as stored on a transition: what the public timeline and the lifecycle event show. */
export interface TransitionEvidence extends Evidence {
  id: string;
}

export interface TransitionInput {
  reportId: string;
  cause: string;
  ordinal: number;
  from: LifecycleState | null;
  to: LifecycleState;
  at: string;
  actor: Actor;
  publicNote?: string;
  internalNote?: string;
  unit?: Unit | null;
  /** Every unit working a part of the report, on the transitions its parts cause (ADR 0073). */
  units?: Unit[];
  evidence?: TransitionEvidence[];
}

/** The report as it stands right after a transition was recorded. */
export interface ReportRow {
  id: string;
  tracking_code: string;
  state: LifecycleState;
  channel: string | null;
  category: string | null;
  unit: Unit | null;
  area: Area | null;
  merged_into: string | null;
  received_at: Date | null;
  version: number;
  updated_at: Date;
}

export interface RecordedTransition {
  id: string;
  sequence: number;
  report: ReportRow;
}

export interface ReportStoreDeps {
  vault: IdentityVault;
  clocks: SlaClocks;
  notifier: CitizenNotifier;
}

/**
 * Runs work in one event's trace: the intake consumer runs it inside that event's delivery, so
 * the outbox rows written for the event carry the trace on (ADR 0070).
 */
export type EachEvent<E> = (event: E, work: () => Promise<void>) => Promise<void>;
const directly: EachEvent<unknown> = (_event, work) => work();

/**
 * Applies intake and routing events and officer transitions to the stored report. The intake
 * methods are idempotent and order-independent: the same events, in any order and any number
 * of times, leave the same report, the same history and the same published events.
 */
export class ReportStore {
  constructor(
    private readonly db: DataSource,
    private readonly deps: ReportStoreDeps,
  ) {}

  async applyReceived(e: ComplaintReceived): Promise<void> {
    await this.applyReceivedBatch([e]);
  }

  async applyRouted(e: ComplaintRouted): Promise<void> {
    await this.applyRoutedBatch([e]);
  }

  /**
   * A batch of intake events in one transaction (ADR 0067): all of it is stored, or none of it.
   * Each event ends as it would on its own, so a batch that fails permanently can be applied
   * again one event at a time to find the event at fault. The whole batch is a handful of
   * statements, however many events it holds: its reports, its reporters, then its transitions
   * (`recordAll`).
   */
  async applyReceivedBatch(
    events: readonly ComplaintReceived[],
    each: EachEvent<ComplaintReceived> = directly,
  ): Promise<void> {
    if (!events.length) return;
    const firsts = firstOfEachReport(inLockOrder(events));
    const traces = await tracesOf(firsts, each);
    await this.db.transaction(async (tx) => {
      await claimReports(tx, firsts);
      await this.storeIntake(tx, firsts);
      await this.recordAll(
        tx,
        firsts.map((e) => ({
          reportId: e.reportId,
          cause: 'received',
          ordinal: ORDINAL.received,
          from: null,
          to: 'RECEIVED',
          at: e.receivedAt,
          actor: { kind: 'system', id: `channel-${e.channel}` },
          publicNote: 'Laporan diterima dan diberi nomor.',
        })),
        traces,
      );
    });
  }

  /** A batch of routing events in one transaction, as `applyReceivedBatch`. */
  async applyRoutedBatch(
    events: readonly ComplaintRouted[],
    each: EachEvent<ComplaintRouted> = directly,
  ): Promise<void> {
    if (!events.length) return;
    // A repeat of a routing changes nothing: the first one a report got is the one it keeps.
    const firsts = firstOfEachReport(inLockOrder(events));
    const traces = await tracesOf(firsts, each);
    await this.db.transaction(async (tx) => {
      await claimReports(tx, firsts);
      await this.storeRouting(tx, firsts);
      const masters = await trackingCodesOf(
        tx,
        firsts.flatMap((e) => (e.duplicateOf ? [e.duplicateOf] : [])),
      );
      await this.recordAll(
        tx,
        firsts.map((e) => ({
          reportId: e.reportId,
          cause: 'routed',
          ordinal: ORDINAL.routed,
          from: 'RECEIVED',
          to: stateAfterRouting(e.outcome),
          at: e.routedAt,
          actor: { kind: 'system', id: 'router' },
          publicNote: routingPublicNote(e, e.duplicateOf ? masters.get(e.duplicateOf) : undefined),
          unit: e.unit,
        })),
        traces,
      );
    });
  }

  /**
   * The reports and their sealed reporters of a batch, two statements for the whole batch. A
   * report that routing created first takes its intake now; one already taken in stays as it is.
   */
  private async storeIntake(tx: EntityManager, events: readonly ComplaintReceived[]): Promise<void> {
    const reports = valuesOf(
      events.map((e) => [
        e.reportId,
        e.trackingCode,
        e.channel,
        e.text,
        publicTextOf(e),
        e.subject ?? null,
        e.category ?? null,
        e.visibility,
        e.location?.lat ?? null,
        e.location?.lon ?? null,
        JSON.stringify(e.attachments),
        e.receivedAt,
        'RECEIVED',
        e.confidential ?? false,
      ]),
    );
    await tx.query(
      `INSERT INTO report (id, tracking_code, channel, text, public_text, subject, category_hint, visibility, lat, lon, attachments, received_at, state, confidential)
       VALUES ${reports.sql}
       ON CONFLICT (id) DO UPDATE SET
         channel = EXCLUDED.channel, text = EXCLUDED.text, public_text = EXCLUDED.public_text, subject = EXCLUDED.subject,
         category_hint = EXCLUDED.category_hint, visibility = EXCLUDED.visibility, confidential = EXCLUDED.confidential,
         lat = EXCLUDED.lat, lon = EXCLUDED.lon, attachments = EXCLUDED.attachments,
         received_at = EXCLUDED.received_at
       WHERE report.channel IS NULL`,
      reports.params,
    );
    const { vault } = this.deps;
    const reporters = valuesOf(
      events.map((e) => [
        e.reportId,
        e.channel,
        vault.seal(e.reportId, {
          reporter: e.reporter,
          replyTo: { sourceId: e.source.id, thread: e.source.thread ?? null },
        }),
        vault.pseudonym(e.reportId, e.channel, e.reporter),
      ]),
    );
    await tx.query(
      `INSERT INTO report_reporter (report_id, channel, sealed, pseudonym) VALUES ${reporters.sql}
       ON CONFLICT (report_id) DO NOTHING`,
      reporters.params,
    );
  }

  /**
   * The routing of a batch's reports, one statement. Routed before received, a row cannot yet
   * know whether the report is private or confidential: it stays off every public surface
   * until its intake says otherwise.
   */
  private async storeRouting(tx: EntityManager, events: readonly ComplaintRouted[]): Promise<void> {
    const reports = valuesOf(
      events.map((e) => [
        e.reportId,
        e.trackingCode,
        stateAfterRouting(e.outcome),
        e.category,
        e.area ? JSON.stringify(e.area) : null,
        e.unit ? JSON.stringify(e.unit) : null,
        JSON.stringify({
          outcome: e.outcome,
          categoryConfidence: e.categoryConfidence,
          placeConfidence: e.placeConfidence,
          reasons: e.reasons,
          candidates: e.candidates,
          rule: e.rule,
          opd: e.opd ?? null,
          routedAt: e.routedAt,
        }),
        e.duplicateOf,
      ]),
    );
    await tx.query(
      `INSERT INTO report AS r (id, tracking_code, state, category, area, unit, routing, merged_into, visibility, confidential)
       SELECT v.id::uuid, v.code, v.state, v.category, v.area::jsonb, v.unit::jsonb, v.routing::jsonb, v.merged_into::uuid, 'private', true
         FROM (VALUES ${reports.sql}) AS v(id, code, state, category, area, unit, routing, merged_into)
       ON CONFLICT (id) DO UPDATE SET
         category = EXCLUDED.category, area = EXCLUDED.area, unit = EXCLUDED.unit,
         routing = EXCLUDED.routing, merged_into = EXCLUDED.merged_into
       WHERE r.routing IS NULL`,
      reports.params,
    );
  }

  /**
   * Appends a transition unless its cause is already recorded, then settles the report's state
   * on the latest transition in time, moves the SLA clocks, and queues the lifecycle, state
   * and citizen notification events in the same transaction. Answers null for a repeat.
   *
   * The report row is locked first (ADR 0054): every writer of one report's history waits for
   * the one before it, so the latest transition, the count and the version are read whole, and
   * the outbox rows of one report are numbered in the order they commit. A transition after
   * routing must start from the state the report is in now, and is never timed before the one
   * it follows; a caller that read the state before locking is refused rather than allowed to
   * move the report back.
   */
  async record(tx: EntityManager, input: TransitionInput): Promise<RecordedTransition | null> {
    const current = await lockReport(tx, input.reportId);
    let t = input;
    if (t.ordinal >= ORDINAL.officer) {
      if (t.from !== current.state) throw new StaleTransition(t, current.state);
      t = { ...t, at: await notBeforeLatest(tx, t) };
    }
    const [recorded] = await this.append(tx, [t], [traceHeaders()]);
    return recorded ?? null;
  }

  /**
   * `record` for the intake's transitions (received, routed) of many reports, one each, in a
   * fixed number of statements (ADR 0067). They never start from a state an officer chose, so
   * there is nothing to be stale against; the reports are locked in id order, as every batch
   * locks them.
   */
  private async recordAll(
    tx: EntityManager,
    inputs: readonly TransitionInput[],
    traces: ReadonlyArray<TraceHeaders | undefined>,
  ): Promise<void> {
    await lockReports(
      tx,
      inputs.map((t) => t.reportId),
    );
    await this.append(tx, inputs, traces);
  }

  /**
   * Appends transitions of locked reports, at most one a report: the transitions, the reports'
   * new state and version, their events and the clocks and messages they cause, each one
   * statement for all of them.
   */
  private async append(
    tx: EntityManager,
    inputs: readonly TransitionInput[],
    traces: ReadonlyArray<TraceHeaders | undefined>,
  ): Promise<RecordedTransition[]> {
    const rows = valuesOf(
      inputs.map((t) => [
        t.reportId,
        t.cause,
        t.ordinal,
        t.from,
        t.to,
        t.at,
        JSON.stringify(t.actor),
        t.publicNote ?? null,
        t.internalNote ?? null,
        t.unit ? JSON.stringify(t.unit) : null,
        JSON.stringify(t.evidence ?? []),
      ]),
    );
    const inserted = (await tx.query(
      `INSERT INTO report_transition (report_id, cause, ordinal, from_state, to_state, at, actor, public_note, internal_note, unit, evidence)
       VALUES ${rows.sql}
       ON CONFLICT (report_id, cause) DO NOTHING
       RETURNING id, report_id`,
      rows.params,
    )) as Array<{ id: string; report_id: string }>;
    if (!inserted.length) return [];
    const transitionOf = new Map(inserted.map((r) => [r.report_id, r.id]));

    // The state the latest transition in time leaves, and the count that numbers the new one:
    // read in the same statement as the update, which sees the transitions just inserted.
    // TypeORM answers an UPDATE … RETURNING with [rows, affected].
    const [updated] = (await tx.query(
      `UPDATE report r SET version = r.version + 1, updated_at = now(),
         state = (SELECT to_state FROM report_transition t WHERE t.report_id = r.id
                   ORDER BY LEAST(ordinal, 2) DESC, at DESC, ordinal DESC, id DESC LIMIT 1)
        WHERE r.id = ANY($1::uuid[])
       RETURNING id, tracking_code, state, channel, category, unit, area, merged_into, received_at, version, updated_at,
         (SELECT count(*)::int FROM report_transition t WHERE t.report_id = r.id) AS transitions`,
      [[...transitionOf.keys()]],
    )) as [Array<ReportRow & { transitions: number }>, number];
    const byReport = new Map(updated.map(({ transitions, ...row }) => [row.id, { row, transitions }]));

    const recorded: Array<RecordedTransition & { change: Change }> = [];
    inputs.forEach((t, i) => {
      const id = transitionOf.get(t.reportId);
      if (!id) return; // already recorded: a repeat
      const report = byReport.get(t.reportId);
      if (!report) throw new Error(`report ${t.reportId} vanished while recording a transition`);
      recorded.push({
        id,
        sequence: report.transitions,
        report: report.row,
        change: { report: report.row, t, transitionId: id, trace: traces[i] },
      });
    });

    await enqueueAll(
      tx,
      recorded.flatMap(({ change, sequence }) => eventsOf(change.t, change.report, sequence)),
      recorded.flatMap(({ change }) => [change.trace, change.trace]),
    );
    const changes = recorded.map((r) => r.change);
    await this.deps.clocks.onTransitions(tx, changes);
    await this.deps.notifier.onTransitions(tx, changes);
    return recorded.map(({ id, sequence, report }) => ({ id, sequence, report }));
  }
}

/** The lifecycle and the state event of a transition, in that order. */
function eventsOf(t: TransitionInput, row: ReportRow, sequence: number): [OutboxEvent, OutboxEvent] {
  const evidence = t.evidence ?? [];
  const lifecycle: ReportLifecycle = {
    reportId: t.reportId,
    trackingCode: row.tracking_code,
    sequence,
    from: t.from,
    to: t.to,
    at: new Date(t.at).toISOString(),
    actor: t.actor,
    unit: t.unit ?? null,
    evidence: evidence.map((e) => ({
      url: e.url,
      contentType: e.contentType,
      ...(e.sha256 ? { sha256: e.sha256 } : {}),
    })),
  };
  if (t.publicNote) lifecycle.publicNote = t.publicNote;
  if (t.units) lifecycle.units = t.units;
  const state: ReportState = {
    reportId: row.id,
    trackingCode: row.tracking_code,
    state: row.state,
    label: STATE_LABELS[row.state],
    category: row.category,
    unit: row.unit,
    area: row.area,
    mergedInto: row.merged_into,
    updatedAt: new Date(row.updated_at).toISOString(),
    version: row.version,
  };
  return [
    { topic: 'aduan.report.lifecycle.v1', payload: lifecycle },
    { topic: 'aduan.report.state.v1', payload: state },
  ];
}

/** A transition computed from a state the report has since left: recording it would undo the newer one. */
export class StaleTransition extends Error {
  constructor(
    t: TransitionInput,
    readonly current: LifecycleState,
  ) {
    super(
      `transition ${t.cause} of report ${t.reportId} starts from ${t.from ?? 'nothing'}, but the report is ${current}`,
    );
    this.name = 'StaleTransition';
  }
}

/** Locks the report row for the rest of the transaction; every transition of a report takes it first. */
export async function lockReport(
  tx: EntityManager,
  reportId: string,
): Promise<{ state: LifecycleState; version: number }> {
  const [row] = (await tx.query('SELECT state, version FROM report WHERE id = $1 FOR UPDATE', [
    reportId,
  ])) as Array<{
    state: LifecycleState;
    version: number;
  }>;
  if (!row) throw new Error(`report ${reportId} is not stored; a transition needs its report`);
  return row;
}

/** The advisory-lock class of report creation (two-key form, apart from every one-key lock). */
const REPORT_CLAIM_SPACE = 0x0a1e7;

/**
 * Takes the batch's reports in id order before their rows are written. A received and a routed
 * batch may create the same new report at once; an upsert waits for the other only on the key it
 * names (the id), and met the other's tracking code first, failing the batch. Claimed first, the
 * second batch finds the row committed and updates it.
 */
async function claimReports(tx: EntityManager, events: ReadonlyArray<{ reportId: string }>): Promise<void> {
  await tx.query(
    `SELECT pg_advisory_xact_lock($1, hashtext(id)) FROM unnest($2::text[]) WITH ORDINALITY AS r(id, n) ORDER BY n`,
    [REPORT_CLAIM_SPACE, events.map((e) => e.reportId)],
  );
}

/** Locks the rows of several reports in id order, as `lockReport` does for one. */
async function lockReports(tx: EntityManager, reportIds: readonly string[]): Promise<void> {
  const rows = (await tx.query('SELECT id FROM report WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE', [
    reportIds,
  ])) as Array<{ id: string }>;
  if (rows.length === new Set(reportIds).size) return;
  const stored = new Set(rows.map((r) => r.id));
  const missing = reportIds.find((id) => !stored.has(id));
  throw new Error(`report ${missing} is not stored; a transition needs its report`);
}

/** The tracking codes of reports, by id: a duplicate's note names its master's code. */
async function trackingCodesOf(
  tx: EntityManager,
  reportIds: readonly string[],
): Promise<Map<string, string>> {
  if (!reportIds.length) return new Map();
  const rows = (await tx.query('SELECT id, tracking_code FROM report WHERE id = ANY($1::uuid[])', [
    reportIds,
  ])) as Array<{ id: string; tracking_code: string }>;
  return new Map(rows.map((r) => [r.id, r.tracking_code]));
}

/** The trace each event's outbox rows carry: the one its delivery runs in (ADR 0070). */
async function tracesOf<E>(events: readonly E[], each: EachEvent<E>): Promise<TraceHeaders[]> {
  const traces: TraceHeaders[] = [];
  for (const e of events)
    await each(e, async () => {
      traces.push(traceHeaders());
    });
  return traces;
}

/**
 * The time a transition after routing is recorded at: its own, or a millisecond after the latest
 * one when a clock behind (another instance's, or one read before the lock was granted) would
 * otherwise sort it before the transition it follows.
 */
async function notBeforeLatest(tx: EntityManager, t: TransitionInput): Promise<string> {
  const [{ at }] = (await tx.query(
    `SELECT GREATEST($2::timestamptz, max(at) + interval '1 millisecond') AS at
       FROM report_transition WHERE report_id = $1 AND ordinal >= $3`,
    [t.reportId, t.at, ORDINAL.officer],
  )) as Array<{ at: Date }>;
  return new Date(at).toISOString();
}

/**
 * A batch's events ordered by report id, each report's own events in the order they came: every
 * batch transaction then locks report rows in the same order, so two instances writing batches
 * of the received and the routed topic at once never deadlock on the same reports.
 */
function inLockOrder<E extends { reportId: string }>(events: readonly E[]): E[] {
  return [...events].sort((a, b) => (a.reportId < b.reportId ? -1 : a.reportId > b.reportId ? 1 : 0));
}

/** The first event of each report: one row may be written only once by a multi-row statement. */
function firstOfEachReport<E extends { reportId: string }>(events: readonly E[]): E[] {
  const seen = new Set<string>();
  return events.filter((e) => !seen.has(e.reportId) && seen.add(e.reportId));
}

/** `($1, $2, …), ($n, …)` for rows of one width, with their parameters in the same order. */
function valuesOf(rows: readonly unknown[][]): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const sql = rows.map((row) => `(${row.map((value) => `$${params.push(value)}`).join(', ')})`).join(', ');
  return { sql, params };
}
