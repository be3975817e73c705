import { randomUUID } from 'node:crypto';
import type { Unit } from '@aduan/contracts';
import { redactText } from '@aduan/platform';
import type { DataSource, EntityManager } from 'typeorm';
import type { OfficerPrincipal } from '../auth/tokens';
import type { Clock } from '../clock';
import { ApiError } from '../officer/api-error';
import { deny, guardReport, writeAudit } from '../officer/access';
import { ORDINAL, type ReportStore, type TransitionEvidence } from '../reports/report-store';
import { uuidFrom } from '../uuid-from';
import { lockForAction, withConflictAs409, type Locked } from './lifecycle-service';
import { checkTransition, OPEN_STATES, statesReachableFrom, TRANSITIONS } from './state-machine';
import {
  mayWorkTask,
  OPEN_TASK_STATES,
  TASK_LABELS,
  taskActionsFor,
  type TaskAction,
  type TaskState,
} from './task-rules';

/** A unit's part has the report's resolution time, counted from the hand-over. */
const TASK_MS = 7 * 24 * 3600_000;
const NOTE_MAX = 4000;

export interface ParallelInput {
  version: number;
  actionId?: string;
  /** Unit codes, already checked to be strings by the controller. */
  units: string[];
  note?: string;
}

export interface TaskInput {
  /** The part's own version (each part has one, so units never conflict with each other). */
  version: number;
  officer?: string;
  note?: string;
  evidence?: string[];
}

export interface TaskRow {
  id: string;
  report_id: string;
  round: number;
  unit_code: string;
  unit: Unit;
  state: TaskState;
  assignee: string | null;
  note: string | null;
  evidence: TransitionEvidence[];
  version: number;
  done_at: Date | null;
}

/** The stage of a part's SLA clock: the scheduler escalates it like any other clock. */
export function taskStage(taskId: string): string {
  return `subtask:${taskId}`;
}

const byOfficer = (who: OfficerPrincipal) =>
  ({ kind: 'officer', id: who.id, ...(who.unit ? { unit: who.unit } : {}) }) as const;

/** "A", "A dan B", "A, B dan C": how the public note names the units. */
function names(units: readonly Unit[]): string {
  const all = units.map((u) => u.name);
  return all.length > 1 ? `${all.slice(0, -1).join(', ')} dan ${all.at(-1)}` : (all[0] ?? '');
}

/**
 * Parallel coordination (ADR 0073): a report handed to several units at once, each working its
 * own part with its own state, assignee, version and clock. The report waits in COORDINATION,
 * moves to IN_PROGRESS when the first unit starts, and to AWAITING_VALIDATION — the follow-up's
 * own next state — when the last part is done, with every unit's note and photos together.
 * Locks the report row first, then the parts (ADR 0054), so two units finishing at the same
 * moment are counted one after the other and exactly one of them moves the report on.
 */
export class TaskService {
  constructor(
    private readonly db: DataSource,
    private readonly store: ReportStore,
    private readonly clock: Clock,
    private readonly afterCommit: () => void,
  ) {}

  async coordinate(who: OfficerPrincipal, reportId: string, input: ParallelInput): Promise<void> {
    await guardReport(this.db, who, reportId, 'coordinate-parallel');
    if (!TRANSITIONS.coordinate.roles.includes(who.role))
      await deny(this.db, who, 'coordinate-parallel', reportId, `the ${who.role} role may not coordinate`);
    const cause = `action:${input.actionId ?? randomUUID()}`;
    await withConflictAs409(
      this.db.transaction(async (tx) => {
        const report = await lockForAction(tx, who, reportId, cause, input.version);
        if (!report) return;
        const check = checkTransition('coordinate', report.state, who.role);
        if (!check.ok)
          throw new ApiError(
            409,
            'ILLEGAL_TRANSITION',
            `cannot coordinate a report in state ${report.state}`,
            {
              state: report.state,
              allowedActions: check.reason === 'state' ? check.allowed : [],
              allowedStates: statesReachableFrom(report.state),
            },
          );
        const open = await this.parts(tx, reportId, OPEN_TASK_STATES);
        const codes = [...new Set(input.units)];
        const already = codes.filter((c) => open.some((t) => t.unit_code === c));
        if (already.length)
          throw new ApiError(
            400,
            'VALIDATION_FAILED',
            `units: ${already.join(', ')} already work on this report`,
            {
              problems: ['units'],
            },
          );
        if (!open.length && codes.length < 2)
          throw new ApiError(
            400,
            'VALIDATION_FAILED',
            'units: name at least two units to work in parallel (coordinate hands a report to one)',
            { problems: ['units'] },
          );
        const units = await this.units(tx, codes);
        const at = this.clock();
        const round = open[0]?.round ?? (await this.nextRound(tx, reportId));
        for (const unit of units) await this.handTo(tx, report, unit, round, who, at);
        const working = [...open.map((t) => t.unit), ...units];
        await this.store.record(tx, {
          reportId,
          cause,
          ordinal: ORDINAL.officer,
          from: report.state,
          to: check.to,
          at: at.toISOString(),
          actor: byOfficer(who),
          publicNote: `Laporan dikoordinasikan dengan ${names(working)}.`,
          ...(input.note ? { internalNote: redactText(input.note).slice(0, NOTE_MAX) } : {}),
          unit: report.unit,
          units: working,
        });
      }),
    );
    this.afterCommit();
  }

  /** Claim, assign, start or finish one unit's part. */
  async act(
    who: OfficerPrincipal,
    reportId: string,
    taskId: string,
    action: TaskAction,
    input: TaskInput,
  ): Promise<void> {
    await guardReport(this.db, who, reportId, `subtask-${action}`);
    const [part] = (await this.db.query(
      'SELECT unit_code FROM report_task WHERE id = $1 AND report_id = $2',
      [taskId, reportId],
    )) as Array<{ unit_code: string }>;
    if (!part) throw new ApiError(404, 'NOT_FOUND', `no part ${taskId} of report ${reportId}`);
    if (who.role === 'validator' || !mayWorkTask(who, part, action))
      await deny(this.db, who, `subtask-${action}`, reportId, `only ${part.unit_code} works this part`);
    let recorded = false;
    await withConflictAs409(
      this.db.transaction(async (tx) => {
        const [report] = (await tx.query(
          `SELECT id, tracking_code, state, unit, version, merged_into, category, routing IS NOT NULL AS routed
             FROM report WHERE id = $1 FOR UPDATE`,
          [reportId],
        )) as Locked[];
        const [task] = (await tx.query(
          `SELECT id, report_id, round, unit_code, unit, state, assignee, note, evidence, version, done_at
             FROM report_task WHERE id = $1 FOR UPDATE`,
          [taskId],
        )) as TaskRow[];
        if (!report || !task) throw new ApiError(404, 'NOT_FOUND', `no part ${taskId}`);
        if (task.version !== input.version)
          throw new ApiError(
            409,
            'STALE_VERSION',
            `the part changed since version ${input.version}; reload it`,
            {
              currentVersion: task.version,
            },
          );
        const allowed = taskActionsFor(who, task);
        if (!allowed.includes(action))
          throw new ApiError(409, 'ILLEGAL_TRANSITION', `cannot ${action} a part in state ${task.state}`, {
            state: task.state,
            allowedActions: allowed,
            allowedStates: [],
          });
        const at = this.clock();
        if (action === 'claim' || action === 'assign')
          await this.assign(tx, task, action === 'claim' ? who.id : input.officer, at);
        else if (action === 'start') recorded = await this.start(tx, who, report, task, at);
        else recorded = await this.finish(tx, who, report, task, input, at);
        // A part's own change moves no report row: tell the live queues of it directly.
        if (!recorded) await tx.query(`SELECT pg_notify('report_public_change', $1)`, [report.tracking_code]);
      }),
    );
    await writeAudit(this.db, who, {
      action: `subtask-${action}`,
      outcome: 'granted',
      reportId,
      detail: { task: taskId, unit: part.unit_code, ...(input.officer ? { officer: input.officer } : {}) },
    });
    if (recorded) this.afterCommit();
  }

  private async assign(tx: EntityManager, task: TaskRow, officerId: string | undefined, at: Date) {
    if (!officerId)
      throw new ApiError(400, 'VALIDATION_FAILED', 'officer is required', { problems: ['officer'] });
    const [officer] = (await tx.query(
      `SELECT id, role, unit_code, capacity FROM officer WHERE id = $1 FOR UPDATE`,
      [officerId],
    )) as Array<{ id: string; role: string; unit_code: string | null; capacity: number }>;
    if (!officer)
      throw new ApiError(400, 'VALIDATION_FAILED', `no officer ${officerId}`, {
        problems: ['unknown officer'],
      });
    if (officer.role !== 'admin' && (officer.role !== 'unit_officer' || officer.unit_code !== task.unit_code))
      throw new ApiError(400, 'VALIDATION_FAILED', `a part is worked by unit officers of ${task.unit_code}`, {
        problems: ['officer is not in the unit of the part'],
      });
    // A part is as much work as a report: both count against the officer's capacity.
    const [{ count }] = (await tx.query(
      `SELECT (SELECT count(*) FROM report WHERE assignee = $1 AND state = ANY($2))
            + (SELECT count(*) FROM report_task WHERE assignee = $1 AND state = ANY($3) AND id <> $4) AS count`,
      [officerId, OPEN_STATES, OPEN_TASK_STATES, task.id],
    )) as Array<{ count: string }>;
    if (officer.role !== 'admin' && Number(count) >= officer.capacity)
      throw new ApiError(
        409,
        'CAPACITY_EXCEEDED',
        `the officer already holds ${count} open reports and parts (capacity ${officer.capacity})`,
      );
    await tx.query(
      `UPDATE report_task SET assignee = $2, assigned_at = $3, version = version + 1 WHERE id = $1`,
      [task.id, officerId, at],
    );
  }

  /** The first unit to start takes the report into IN_PROGRESS for the citizen. */
  private async start(
    tx: EntityManager,
    who: OfficerPrincipal,
    report: Locked,
    task: TaskRow,
    at: Date,
  ): Promise<boolean> {
    await tx.query(
      `UPDATE report_task SET state = 'IN_PROGRESS', started_at = $2, version = version + 1,
         assignee = coalesce(assignee, $3), assigned_at = coalesce(assigned_at, $2) WHERE id = $1`,
      [task.id, at, who.role === 'unit_officer' ? who.id : null],
    );
    if (!TRANSITIONS.start.from.includes(report.state) || report.state === 'IN_PROGRESS') return false;
    await this.store.record(tx, {
      reportId: report.id,
      cause: `subtask:${task.id}:start`,
      ordinal: ORDINAL.officer,
      from: report.state,
      to: 'IN_PROGRESS',
      at: at.toISOString(),
      actor: byOfficer(who),
      publicNote: `Laporan sedang ditangani oleh ${task.unit.name}.`,
      unit: report.unit,
      units: (await this.parts(tx, report.id, OPEN_TASK_STATES)).map((t) => t.unit),
    });
    return true;
  }

  /**
   * A part is done as a follow-up is: with a note of what was done and at least one photo
   * uploaded to the report. The note is the unit's word to the citizen, shown once every part
   * is done, in the one transition that takes the report to validation.
   */
  private async finish(
    tx: EntityManager,
    who: OfficerPrincipal,
    report: Locked,
    task: TaskRow,
    input: TaskInput,
    at: Date,
  ): Promise<boolean> {
    const note = input.note ? redactText(input.note).slice(0, NOTE_MAX) : undefined;
    if (!note)
      throw new ApiError(400, 'VALIDATION_FAILED', 'note is required: tell the citizen what your unit did', {
        problems: ['note is required'],
      });
    const evidence = await this.evidence(tx, report.id, input.evidence ?? []);
    await tx.query(
      `UPDATE report_task SET state = 'DONE', done_at = $2, done_by = $3, note = $4, evidence = $5, version = version + 1
        WHERE id = $1`,
      [task.id, at, who.id, note, JSON.stringify(evidence)],
    );
    await tx.query(
      `UPDATE sla_clock SET met_at = $3 WHERE report_id = $1 AND stage = $2 AND met_at IS NULL`,
      [report.id, taskStage(task.id), at],
    );
    if ((await this.parts(tx, report.id, OPEN_TASK_STATES)).length) return false;
    if (report.state !== 'IN_PROGRESS') return false;
    const done = (await tx.query(
      `SELECT id, report_id, round, unit_code, unit, state, assignee, note, evidence, version, done_at
         FROM report_task WHERE report_id = $1 AND round = $2 AND state = 'DONE' ORDER BY position`,
      [report.id, task.round],
    )) as TaskRow[];
    await this.store.record(tx, {
      reportId: report.id,
      cause: `subtask:round:${task.round}:done`,
      ordinal: ORDINAL.officer,
      from: report.state,
      to: TRANSITIONS['follow-up'].to,
      at: at.toISOString(),
      actor: byOfficer(who),
      publicNote: done
        .map((t) => `${t.unit.name}: ${t.note ?? ''}`)
        .join('\n')
        .slice(0, NOTE_MAX),
      unit: report.unit,
      units: done.map((t) => t.unit),
      evidence: done
        .flatMap((t) => t.evidence)
        .filter((e, i, all) => all.findIndex((x) => x.id === e.id) === i),
    });
    return true;
  }

  private async evidence(tx: EntityManager, reportId: string, ids: string[]): Promise<TransitionEvidence[]> {
    if (!ids.length)
      throw new ApiError(400, 'EVIDENCE_REQUIRED', 'a part is done with at least one evidence photo');
    const rows = (await tx.query(
      `SELECT id, sha256 FROM evidence WHERE report_id = $1 AND id = ANY($2::uuid[])`,
      [reportId, ids],
    )) as Array<{ id: string; sha256: string }>;
    if (rows.length !== new Set(ids).size)
      throw new ApiError(
        400,
        'EVIDENCE_REQUIRED',
        'every evidence id must be a photo uploaded to this report',
      );
    // As a follow-up's: the public copy is re-encoded without the phone's metadata.
    return rows.map((r) => ({
      id: r.id,
      url: `/v1/public/evidence/${r.id}`,
      contentType: 'image/jpeg',
      sha256: r.sha256,
    }));
  }

  private async parts(
    tx: EntityManager,
    reportId: string,
    states: readonly TaskState[],
  ): Promise<Array<{ unit_code: string; unit: Unit; round: number }>> {
    return (await tx.query(
      `SELECT unit_code, unit, round FROM report_task WHERE report_id = $1 AND state = ANY($2) ORDER BY position`,
      [reportId, states],
    )) as Array<{ unit_code: string; unit: Unit; round: number }>;
  }

  private async nextRound(tx: EntityManager, reportId: string): Promise<number> {
    const [{ n }] = (await tx.query(
      `SELECT coalesce(max(round), 0)::int + 1 AS n FROM report_task WHERE report_id = $1`,
      [reportId],
    )) as Array<{ n: number }>;
    return n;
  }

  private async units(tx: EntityManager, codes: string[]): Promise<Unit[]> {
    const rows = (await tx.query('SELECT code, name FROM unit WHERE code = ANY($1)', [codes])) as Unit[];
    const unknown = codes.filter((c) => !rows.some((r) => r.code === c));
    if (unknown.length)
      throw new ApiError(
        400,
        'UNKNOWN_UNIT',
        `no unit with code ${unknown.map((c) => c.slice(0, 64)).join(', ')}`,
      );
    return codes.map((c) => rows.find((r) => r.code === c)!);
  }

  /** One unit's part: its row, its clock, and word to the unit. */
  private async handTo(
    tx: EntityManager,
    report: Locked,
    unit: Unit,
    round: number,
    who: OfficerPrincipal,
    at: Date,
  ): Promise<void> {
    const id = randomUUID();
    await tx.query(
      `INSERT INTO report_task (id, report_id, round, unit_code, unit, state, created_at, created_by)
       VALUES ($1, $2, $3, $4, $5, 'OPEN', $6, $7)`,
      [id, report.id, round, unit.code, JSON.stringify({ code: unit.code, name: unit.name }), at, who.id],
    );
    await tx.query(`INSERT INTO sla_clock (report_id, stage, started_at, due_at) VALUES ($1, $2, $3, $4)`, [
      report.id,
      taskStage(id),
      at,
      new Date(at.getTime() + TASK_MS),
    ]);
    await tx.query(
      `INSERT INTO officer_notification (id, unit_code, report_id, kind, message, at)
       VALUES ($1, $2, $3, 'subtask', $4, $5) ON CONFLICT (id) DO NOTHING`,
      [
        uuidFrom(`subtask:${id}`),
        unit.code,
        report.id,
        `${report.tracking_code} dikoordinasikan dengan unit Anda bersama unit lain; kerjakan bagian unit Anda dalam 7 hari.`,
        at,
      ],
    );
  }
}

/** How the console shows the parts of a report, with what the signed-in officer may do to each. */
export async function partsOf(
  db: Pick<DataSource, 'query'>,
  who: OfficerPrincipal,
  reportId: string,
  now: Date,
) {
  const rows = (await db.query(
    `SELECT t.id, t.round, t.unit_code, t.unit, t.state, t.note, t.evidence, t.version, t.created_at, t.started_at,
            t.done_at, t.assignee, o.display_name AS assignee_name, c.due_at, c.met_at
       FROM report_task t
       LEFT JOIN officer o ON o.id = t.assignee
       LEFT JOIN sla_clock c ON c.report_id = t.report_id AND c.stage = 'subtask:' || t.id
      WHERE t.report_id = $1 ORDER BY t.round, t.position`,
    [reportId],
  )) as Array<
    TaskRow & {
      created_at: Date;
      started_at: Date | null;
      assignee_name: string | null;
      due_at: Date | null;
      met_at: Date | null;
    }
  >;
  return rows.map((t) => ({
    id: t.id,
    round: t.round,
    unit: t.unit,
    state: t.state,
    label: TASK_LABELS[t.state],
    version: t.version,
    assignee: t.assignee ? { id: t.assignee, displayName: t.assignee_name } : null,
    createdAt: t.created_at.toISOString(),
    startedAt: t.started_at?.toISOString() ?? null,
    doneAt: t.done_at?.toISOString() ?? null,
    dueAt: t.due_at?.toISOString() ?? null,
    overdue: !!t.due_at && !t.met_at && OPEN_TASK_STATES.includes(t.state) && t.due_at <= now,
    note: t.note,
    evidence: t.evidence.map((e) => e.id),
    allowedActions: taskActionsFor(who, t),
  }));
}
