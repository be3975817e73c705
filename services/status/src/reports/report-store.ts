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
import type { CitizenNotifier } from '../notifications/citizen-notifier';
import { enqueueAll } from '../outbox/enqueue';
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
 * Runs one event's part of a batch. The intake consumer runs it inside that event's trace, so
 * the outbox rows it writes carry the trace on (ADR 0070).
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
   * again one event at a time to find the event at fault. The reports and reporters of the
   * batch are written by one statement each; their transitions one report after the other.
   */
  async applyReceivedBatch(
    events: readonly ComplaintReceived[],
    each: EachEvent<ComplaintReceived> = directly,
  ): Promise<void> {
    if (!events.length) return;
    await this.db.transaction(async (tx) => {
      const ordered = inLockOrder(events);
      await this.storeIntake(tx, firstOfEachReport(ordered));
      for (const e of ordered)
        await each(e, () =>
          this.record(tx, {
            reportId: e.reportId,
            cause: 'received',
            ordinal: ORDINAL.received,
            from: null,
            to: 'RECEIVED',
            at: e.receivedAt,
            actor: { kind: 'system', id: `channel-${e.channel}` },
            publicNote: 'Laporan diterima dan diberi nomor.',
          }).then(() => undefined),
        );
    });
  }

  /** A batch of routing events in one transaction, as `applyReceivedBatch`. */
  async applyRoutedBatch(
    events: readonly ComplaintRouted[],
    each: EachEvent<ComplaintRouted> = directly,
  ): Promise<void> {
    if (!events.length) return;
    await this.db.transaction(async (tx) => {
      for (const e of inLockOrder(events)) await each(e, () => this.routed(tx, e));
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

  private async routed(tx: EntityManager, e: ComplaintRouted): Promise<void> {
    const to = stateAfterRouting(e.outcome);
    await tx.query(
      // Routed before received, the row cannot yet know whether the report is private or
      // confidential: it stays off every public surface until its intake says otherwise.
      `INSERT INTO report (id, tracking_code, state, category, area, unit, routing, merged_into, visibility, confidential)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'private', true)
       ON CONFLICT (id) DO UPDATE SET
         category = EXCLUDED.category, area = EXCLUDED.area, unit = EXCLUDED.unit,
         routing = EXCLUDED.routing, merged_into = EXCLUDED.merged_into
       WHERE report.routing IS NULL`,
      [
        e.reportId,
        e.trackingCode,
        to,
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
      ],
    );
    const master = e.duplicateOf
      ? (
          (await tx.query('SELECT tracking_code FROM report WHERE id = $1', [e.duplicateOf])) as Array<{
            tracking_code: string;
          }>
        )[0]
      : undefined;
    await this.record(tx, {
      reportId: e.reportId,
      cause: 'routed',
      ordinal: ORDINAL.routed,
      from: 'RECEIVED',
      to,
      at: e.routedAt,
      actor: { kind: 'system', id: 'router' },
      publicNote: routingPublicNote(e, master?.tracking_code),
      unit: e.unit,
    });
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
    const evidence = t.evidence ?? [];
    const inserted = (await tx.query(
      `INSERT INTO report_transition (report_id, cause, ordinal, from_state, to_state, at, actor, public_note, internal_note, unit, evidence)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (report_id, cause) DO NOTHING
       RETURNING id`,
      [
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
        JSON.stringify(evidence),
      ],
    )) as Array<{ id: string }>;
    if (!inserted.length) return null;

    // The state the latest transition in time leaves, and the count that numbers this one: read
    // in the same statement as the update, which sees the transition just inserted.
    // TypeORM answers an UPDATE … RETURNING with [rows, affected].
    const [[updated]] = (await tx.query(
      `UPDATE report SET version = version + 1, updated_at = now(),
         state = (SELECT to_state FROM report_transition WHERE report_id = $1
                   ORDER BY LEAST(ordinal, 2) DESC, at DESC, ordinal DESC, id DESC LIMIT 1)
        WHERE id = $1
       RETURNING id, tracking_code, state, channel, category, unit, area, merged_into, received_at, version, updated_at,
         (SELECT count(*)::int FROM report_transition WHERE report_id = $1) AS transitions`,
      [t.reportId],
    )) as [Array<ReportRow & { transitions: number }>, number];
    if (!updated) throw new Error(`report ${t.reportId} vanished while recording a transition`);
    const { transitions: count, ...row } = updated;

    const lifecycle: ReportLifecycle = {
      reportId: t.reportId,
      trackingCode: row.tracking_code,
      sequence: count,
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
    await enqueueAll(tx, [
      { topic: 'aduan.report.lifecycle.v1', payload: lifecycle },
      { topic: 'aduan.report.state.v1', payload: state },
    ]);
    await this.deps.clocks.onTransition(tx, row, t);
    await this.deps.notifier.onTransition(tx, row, t, inserted[0]!.id);
    return { id: inserted[0]!.id, sequence: count, report: row };
  }
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
