import { randomUUID } from 'node:crypto';
import type { LifecycleState, Unit } from '@aduan/contracts';
import { redactText } from '@aduan/platform';
import type { DataSource, EntityManager } from 'typeorm';
import type { OfficerPrincipal } from '../auth/tokens';
import type { Clock } from '../clock';
import { ApiError } from '../officer/api-error';
import { deny, escalationGrant, guardReport, mayAccess, writeAudit } from '../officer/access';
import { categoryChange, mayRecategorise, type RecategoriseInput } from './recategorise';
import { afterReopen } from './reopen';
import { cancelOpenTasks, refuseWhileTasksOpen } from './task-rules';
import { ORDINAL, type ReportStore, type TransitionEvidence } from '../reports/report-store';
import {
  checkTransition,
  OPEN_STATES,
  roleMay,
  statesReachableFrom,
  type TransitionAction,
} from './state-machine';

export interface ActionInput {
  version: number;
  actionId?: string;
  unit?: string;
  note?: string;
  reason?: string;
  evidence?: string[];
  master?: string;
}

export interface Locked {
  id: string;
  tracking_code: string;
  state: LifecycleState;
  unit: Unit | null;
  version: number;
  merged_into: string | null;
  category: string | null;
  routed: boolean;
}

interface UnitRow {
  code: string;
  name: string;
  kind: string;
  parent_code: string | null;
}

const PUBLIC_NOTE_MAX = 4000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Carries out officer actions. Each runs in one transaction: lock the report, accept a retry of
 * an action already done, check the version the officer saw, check the state machine, change
 * the report and record the transition with its events.
 */
export class LifecycleService {
  constructor(
    private readonly db: DataSource,
    private readonly store: ReportStore,
    private readonly clock: Clock,
    private readonly afterCommit: () => void,
  ) {}

  async perform(
    who: OfficerPrincipal,
    reportId: string,
    action: TransitionAction,
    input: ActionInput,
  ): Promise<void> {
    await guardReport(this.db, who, reportId, action);
    if (!roleMay(action, who.role))
      await deny(this.db, who, action, reportId, `the ${who.role} role may not ${action}`);
    const cause = `action:${input.actionId ?? randomUUID()}`;

    await withConflictAs409(
      this.db.transaction(async (tx) => {
        if (action === 'merge') await lockPair(tx, reportId, input.master);
        const report = await lockForAction(tx, who, reportId, cause, input.version);
        if (!report) return; // a retry of an action already recorded: the report is as it left it
        const check = checkTransition(action, report.state, who.role);
        if (!check.ok) {
          const allowed = check.reason === 'state' ? check.allowed : [];
          throw new ApiError(
            409,
            'ILLEGAL_TRANSITION',
            `cannot ${action} a report in state ${report.state}`,
            {
              state: report.state,
              allowedActions: allowed,
              allowedStates: statesReachableFrom(report.state),
            },
          );
        }
        await refuseWhileTasksOpen(tx, report, action);
        const step = await this.prepare(tx, who, report, action, input);
        const at = this.clock();
        await this.store.record(tx, {
          reportId,
          cause,
          ordinal: ORDINAL.officer,
          from: report.state,
          to: check.to,
          at: at.toISOString(),
          actor: { kind: 'officer', id: who.id, ...(who.unit ? { unit: who.unit } : {}) },
          publicNote: step.publicNote,
          ...(step.internalNote ? { internalNote: step.internalNote } : {}),
          unit: step.unit,
          evidence: step.evidence ?? [],
        });
        if (action === 'reopen') await afterReopen(tx, report, at, false);
        if (action === 'reject' || action === 'merge') await cancelOpenTasks(tx, reportId);
      }),
    );
    this.afterCommit();
  }

  /** What each action changes besides the state, and the note citizens read. */
  private async prepare(
    tx: EntityManager,
    who: OfficerPrincipal,
    report: Locked,
    action: TransitionAction,
    input: ActionInput,
  ): Promise<{
    publicNote: string;
    internalNote?: string;
    unit: Unit | null;
    evidence?: TransitionEvidence[];
  }> {
    // Masking can lengthen a note (a@b.id → [email]); the lifecycle event carries at most 4000 characters.
    const officerNote = input.note ? redactText(input.note).slice(0, PUBLIC_NOTE_MAX) : undefined;
    const reason = input.reason ? redactText(input.reason) : undefined;
    const current = report.unit;
    switch (action) {
      case 'route': {
        const unit = await this.moveTo(tx, report, input.unit);
        return {
          publicNote: `Laporan diteruskan ke ${unit.name}.`,
          ...(officerNote ? { internalNote: officerNote } : {}),
          unit,
        };
      }
      case 'coordinate': {
        if (input.unit === current?.code)
          throw new ApiError(400, 'UNKNOWN_UNIT', 'coordinate to a unit other than the current one');
        const unit = await this.moveTo(tx, report, input.unit);
        return {
          publicNote: `Laporan dikoordinasikan dengan ${unit.name}.`,
          ...(officerNote ? { internalNote: officerNote } : {}),
          unit,
        };
      }
      case 'dispose': {
        const target = input.unit ? await this.unitRow(tx, input.unit) : null;
        if (!target || target.kind !== 'suku_dinas')
          throw new ApiError(400, 'UNKNOWN_UNIT', `${input.unit ?? '(none)'} is not a Suku Dinas`);
        if (who.role !== 'admin' && target.parent_code !== current?.code) {
          throw new ApiError(
            400,
            'UNKNOWN_UNIT',
            `${target.code} is not a Suku Dinas of ${current?.code ?? 'this unit'}`,
          );
        }
        const unit = await this.moveTo(tx, report, target.code);
        return {
          publicNote: `Laporan didisposisikan ke ${unit.name}.`,
          ...(officerNote ? { internalNote: officerNote } : {}),
          unit,
        };
      }
      case 'start':
        return {
          publicNote:
            officerNote ?? `Laporan sedang ditangani oleh ${current?.name ?? 'unit yang berwenang'}.`,
          unit: current,
        };
      case 'follow-up': {
        if (!officerNote)
          throw new ApiError(400, 'VALIDATION_FAILED', 'note is required: tell the citizen what was done', {
            problems: ['note is required'],
          });
        const ids = input.evidence ?? [];
        if (!ids.length)
          throw new ApiError(400, 'EVIDENCE_REQUIRED', 'a follow-up needs at least one evidence photo');
        const rows = (await tx.query(
          `SELECT id, content_type, sha256 FROM evidence WHERE report_id = $1 AND id = ANY($2::uuid[])`,
          [report.id, ids],
        )) as Array<{ id: string; content_type: string; sha256: string }>;
        if (rows.length !== new Set(ids).size)
          throw new ApiError(
            400,
            'EVIDENCE_REQUIRED',
            'every evidence id must be a photo uploaded to this report',
          );
        // The public copy is re-encoded as JPEG without its metadata (no GPS of the officer's phone).
        const evidence = rows.map((r) => ({
          id: r.id,
          url: `/v1/public/evidence/${r.id}`,
          contentType: 'image/jpeg',
          sha256: r.sha256,
        }));
        return { publicNote: officerNote, unit: current, evidence };
      }
      case 'accept':
        return {
          publicNote: 'Tindak lanjut telah divalidasi; laporan selesai.',
          ...(officerNote ? { internalNote: officerNote } : {}),
          unit: current,
        };
      case 'refuse':
        if (!reason)
          throw new ApiError(400, 'VALIDATION_FAILED', 'reason is required when refusing a follow-up', {
            problems: ['reason is required'],
          });
        return { publicNote: `Tindak lanjut belum diterima: ${reason}`, unit: current };
      case 'reject':
        if (!reason)
          throw new ApiError(400, 'VALIDATION_FAILED', 'reason is required: it is shown to the citizen', {
            problems: ['reason is required'],
          });
        return { publicNote: `Laporan ditolak: ${reason}`, unit: current };
      case 'reopen':
        if (!reason)
          throw new ApiError(400, 'VALIDATION_FAILED', 'reason is required', {
            problems: ['reason is required'],
          });
        return { publicNote: `Laporan dibuka kembali: ${reason}`, unit: current };
      case 'merge': {
        const master = await this.master(tx, report, input.master);
        await tx.query('UPDATE report SET merged_into = $2, assignee = NULL WHERE id = $1', [
          report.id,
          master.id,
        ]);
        // Reports merged into this one now follow the new master too.
        await tx.query('UPDATE report SET merged_into = $2 WHERE merged_into = $1', [report.id, master.id]);
        return {
          // Never the master's code: it would open a stranger's report (ADR 0055).
          publicNote:
            'Laporan digabung dengan laporan lain tentang masalah yang sama; perkembangannya ditampilkan di halaman laporan ini.',
          unit: current,
        };
      }
    }
  }

  private async unitRow(tx: EntityManager, code: string): Promise<UnitRow | null> {
    const [u] = (await tx.query('SELECT code, name, kind, parent_code FROM unit WHERE code = $1', [
      code,
    ])) as UnitRow[];
    return u ?? null;
  }

  /** Hands the report to another unit; whoever held it there no longer does. */
  private async moveTo(tx: EntityManager, report: Locked, code: string | undefined): Promise<Unit> {
    const row = code ? await this.unitRow(tx, code) : null;
    if (!row)
      throw new ApiError(400, 'UNKNOWN_UNIT', code ? `no unit with code ${code}` : 'unit is required');
    const unit = { code: row.code, name: row.name };
    await tx.query('UPDATE report SET unit = $2, assignee = NULL, assigned_at = NULL WHERE id = $1', [
      report.id,
      JSON.stringify(unit),
    ]);
    return unit;
  }

  private async master(
    tx: EntityManager,
    report: Locked,
    ref: string | undefined,
  ): Promise<{ id: string; tracking_code: string }> {
    if (!ref)
      throw new ApiError(400, 'VALIDATION_FAILED', 'master is required', {
        problems: ['master is required'],
      });
    // Locked (already, by lockPair, in id order), so that merging A into B and B into A at the
    // same moment cannot leave each pointing at the other: the second finds its master merged.
    const [m] = (await tx.query(
      `SELECT id, tracking_code, state FROM report WHERE ${UUID.test(ref) ? 'id = $1::uuid' : 'tracking_code = upper($1)'} FOR UPDATE`,
      [ref],
    )) as Array<{ id: string; tracking_code: string; state: LifecycleState }>;
    if (!m)
      throw new ApiError(400, 'VALIDATION_FAILED', `no report ${ref.slice(0, 40)} to merge into`, {
        problems: ['unknown master'],
      });
    if (m.id === report.id)
      throw new ApiError(400, 'VALIDATION_FAILED', 'a report cannot be merged into itself', {
        problems: ['master is this report'],
      });
    if (!OPEN_STATES.includes(m.state))
      throw new ApiError(409, 'ILLEGAL_TRANSITION', `the master report is ${m.state}`, {
        state: m.state,
        allowedActions: [],
        allowedStates: [],
      });
    return m;
  }

  /**
   * Files the report under another category (ADR 0068). Not a move: the state and the unit stay
   * as they are, and the change is recorded as an officer entry on the report's history, whose
   * public note says what changed and whose internal note keeps the officer's reason.
   */
  async recategorise(who: OfficerPrincipal, reportId: string, input: RecategoriseInput): Promise<void> {
    await guardReport(this.db, who, reportId, 'recategorise');
    if (!mayRecategorise(who.role))
      await deny(this.db, who, 'recategorise', reportId, `the ${who.role} role may not change a category`);
    const cause = `action:${input.actionId ?? randomUUID()}`;
    await withConflictAs409(
      this.db.transaction(async (tx) => {
        const report = await lockForAction(tx, who, reportId, cause, input.version);
        if (!report) return;
        const change = categoryChange(report, input);
        await tx.query('UPDATE report SET category = $2 WHERE id = $1', [reportId, input.category]);
        await this.store.record(tx, {
          reportId,
          cause,
          ordinal: ORDINAL.officer,
          from: report.state,
          to: report.state,
          at: this.clock().toISOString(),
          actor: { kind: 'officer', id: who.id, ...(who.unit ? { unit: who.unit } : {}) },
          ...change,
          unit: report.unit,
        });
      }),
    );
    this.afterCommit();
  }

  /** Claim (for oneself) or assign a report, within the officer's capacity. Not a transition. */
  async assign(who: OfficerPrincipal, reportId: string, officerId: string, version: number): Promise<void> {
    const action = officerId === who.id ? 'claim' : 'assign';
    await guardReport(this.db, who, reportId, action);
    if (who.role === 'validator')
      await deny(this.db, who, action, reportId, 'validators do not take reports');
    if (action === 'claim' && who.role !== 'unit_officer' && who.role !== 'admin')
      await deny(this.db, who, action, reportId, 'only unit officers claim reports');
    await this.db.transaction(async (tx) => {
      const [report] = (await tx.query(
        `SELECT id, state, unit, version FROM report WHERE id = $1 FOR UPDATE`,
        [reportId],
      )) as Locked[];
      if (!report) throw new ApiError(404, 'NOT_FOUND', `no report ${reportId}`);
      if (report.version !== version)
        throw new ApiError(409, 'STALE_VERSION', `the report changed since version ${version}; reload it`, {
          currentVersion: report.version,
        });
      if (!OPEN_STATES.includes(report.state))
        throw new ApiError(409, 'ILLEGAL_TRANSITION', `a ${report.state} report is not assigned`, {
          state: report.state,
          allowedActions: [],
          allowedStates: [],
        });
      // Lock the officer row so that two claims for one officer are counted one after the other.
      const [officer] = (await tx.query(
        `SELECT id, role, unit_code, capacity FROM officer WHERE id = $1 FOR UPDATE`,
        [officerId],
      )) as Array<{
        id: string;
        role: string;
        unit_code: string | null;
        capacity: number;
      }>;
      if (!officer)
        throw new ApiError(400, 'VALIDATION_FAILED', `no officer ${officerId}`, {
          problems: ['unknown officer'],
        });
      if (
        action === 'assign' &&
        (officer.role !== 'unit_officer' || officer.unit_code !== report.unit?.code)
      ) {
        throw new ApiError(
          400,
          'VALIDATION_FAILED',
          'reports are assigned to unit officers of the report unit',
          { problems: ['officer is not in the report unit'] },
        );
      }
      const [{ count }] = (await tx.query(
        `SELECT count(*)::int AS count FROM report WHERE assignee = $1 AND state = ANY($2) AND id <> $3`,
        [officerId, OPEN_STATES, reportId],
      )) as Array<{ count: number }>;
      if (officer.role !== 'admin' && count >= officer.capacity) {
        throw new ApiError(
          409,
          'CAPACITY_EXCEEDED',
          `the officer already holds ${count} open reports (capacity ${officer.capacity})`,
        );
      }
      await tx.query(
        `UPDATE report SET assignee = $2, assigned_at = $3, version = version + 1, updated_at = now() WHERE id = $1`,
        [reportId, officerId, this.clock()],
      );
    });
    await writeAudit(this.db, who, { action, outcome: 'granted', reportId, detail: { officer: officerId } });
  }
}

/**
 * Locks the report an action is about and checks it is still the one the officer saw: in their
 * scope, at the version they acted on. Null when this action (its cause) is already recorded,
 * so that a retry answers the report as the first attempt left it.
 */
export async function lockForAction(
  tx: EntityManager,
  who: OfficerPrincipal,
  reportId: string,
  cause: string,
  version: number,
): Promise<Locked | null> {
  const [report] = (await tx.query(
    `SELECT id, tracking_code, state, unit, version, merged_into, category, routing IS NOT NULL AS routed
       FROM report WHERE id = $1 FOR UPDATE`,
    [reportId],
  )) as Locked[];
  if (!report) throw new ApiError(404, 'NOT_FOUND', `no report ${reportId}`);
  const [done] = (await tx.query('SELECT 1 FROM report_transition WHERE report_id = $1 AND cause = $2', [
    reportId,
    cause,
  ])) as unknown[];
  if (done) return null;
  if (!mayAccess(who, report.unit?.code ?? null) && !(await escalationGrant(tx, who, reportId)))
    throw new ApiError(409, 'STALE_VERSION', 'the report moved to another unit', {
      currentVersion: report.version,
    });
  if (report.version !== version)
    throw new ApiError(409, 'STALE_VERSION', `the report changed since version ${version}; reload it`, {
      currentVersion: report.version,
    });
  return report;
}

/**
 * A merge changes two reports: both rows are locked before either is read, always the lower id
 * first, so that merging A into B while B is merged into A (or escalated, or acted on) waits
 * instead of deadlocking (ADR 0054).
 */
async function lockPair(tx: EntityManager, reportId: string, masterRef: string | undefined): Promise<void> {
  const ref = masterRef?.slice(0, 100);
  const [master] = ref
    ? ((await tx.query(
        `SELECT id FROM report WHERE ${UUID.test(ref) ? 'id = $1::uuid' : 'tracking_code = upper($1)'}`,
        [ref],
      )) as Array<{ id: string }>)
    : [];
  const ids = master ? [reportId, master.id] : [reportId];
  await tx.query('SELECT id FROM report WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE', [ids]);
}

/**
 * Two officers locking the same pair of reports in opposite order make PostgreSQL abort one
 * of them; that officer gets a 409 to reload, not a 500.
 */
export async function withConflictAs409<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === '40P01' || code === '40001') {
      throw new ApiError(
        409,
        'STALE_VERSION',
        'another officer changed this report at the same moment; reload it and try again',
      );
    }
    throw err;
  }
}
