import type { DataSource } from 'typeorm';
import type { OfficerPrincipal } from '../auth/tokens';
import { ApiError } from './api-error';

export interface Audit {
  action: string;
  outcome: 'granted' | 'denied';
  reportId?: string | null;
  detail?: Record<string, unknown>;
}

export async function writeAudit(db: Queryable, who: OfficerPrincipal, a: Audit): Promise<void> {
  await db.query(
    `INSERT INTO audit_log (officer_id, role, unit_code, action, outcome, report_id, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [who.id, who.role, who.unit, a.action, a.outcome, a.reportId ?? null, JSON.stringify(a.detail ?? {})],
  );
}

/** A unit officer works only on reports of its own unit; the other roles work city-wide. */
export function mayAccess(who: OfficerPrincipal, reportUnitCode: string | null): boolean {
  if (who.role !== 'unit_officer') return true;
  return reportUnitCode !== null && reportUnitCode === who.unit;
}

/** Refuses with 403 and leaves an audit row, in its own transaction so the refusal is kept. */
export async function deny(
  db: DataSource,
  who: OfficerPrincipal,
  action: string,
  reportId: string | null,
  why: string,
): Promise<never> {
  await writeAudit(db, who, { action, outcome: 'denied', reportId, detail: { why } });
  throw new ApiError(403, 'FORBIDDEN', why);
}

/** A DataSource or a transaction's EntityManager. */
interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

export interface EscalationGrant {
  stage: string;
  level: number;
}

/**
 * An overdue report escalated to a kecamatan or kota is theirs to read and act on too, beside
 * the unit it is routed to (ADR 0057): the grant is the escalation row itself, so it exists
 * exactly as long as the escalation is on record.
 */
export async function escalationGrant(
  db: Queryable,
  who: OfficerPrincipal,
  reportId: string,
): Promise<EscalationGrant | null> {
  if (who.role !== 'unit_officer' || !who.unit) return null;
  const [grant] = (await db.query(
    `SELECT stage, level FROM sla_escalation WHERE report_id = $1 AND target_unit = $2 ORDER BY level DESC LIMIT 1`,
    [reportId, who.unit],
  )) as EscalationGrant[];
  return grant ?? null;
}

/**
 * What an officer of a unit that was handed a part of a report (ADR 0073) may do with the report
 * itself: read it, its photos and attachments, write internal notes, upload evidence, and work
 * its own part. Moving, closing or claiming the whole report stays with the unit that holds it.
 */
const WORK_ON_A_PART = /^(read|read-evidence|read-attachment|note|evidence|subtask-.+)$/;

/** Whether the officer's unit was ever handed a part of the report (a done part stays readable). */
export async function taskGrant(db: Queryable, who: OfficerPrincipal, reportId: string): Promise<boolean> {
  if (who.role !== 'unit_officer' || !who.unit) return false;
  const [row] = (await db.query('SELECT 1 FROM report_task WHERE report_id = $1 AND unit_code = $2 LIMIT 1', [
    reportId,
    who.unit,
  ])) as unknown[];
  return row !== undefined;
}

/**
 * Loads the unit of a report and checks the caller may see it: 404 if unknown, 403 if not theirs.
 * An officer of a unit the report was escalated to passes, and that use of the grant is audited;
 * so does an officer of a unit working a part of it, for the actions above.
 */
export async function guardReport(
  db: DataSource,
  who: OfficerPrincipal,
  reportId: string,
  action: string,
): Promise<void> {
  const [row] = (await db.query(`SELECT unit->>'code' AS unit FROM report WHERE id = $1`, [
    reportId,
  ])) as Array<{ unit: string | null }>;
  if (!row) throw new ApiError(404, 'NOT_FOUND', `no report ${reportId}`);
  if (mayAccess(who, row.unit)) return;
  if (WORK_ON_A_PART.test(action) && (await taskGrant(db, who, reportId))) return;
  const grant = await escalationGrant(db, who, reportId);
  if (!grant) await deny(db, who, action, reportId, 'this report belongs to another unit');
  await writeAudit(db, who, {
    action,
    outcome: 'granted',
    reportId,
    detail: { via: 'escalation', stage: grant!.stage, level: grant!.level },
  });
}
