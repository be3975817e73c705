import type { LifecycleState } from '@aduan/contracts';
import type { EntityManager } from 'typeorm';
import type { OfficerPrincipal } from '../auth/tokens';
import { ApiError } from '../officer/api-error';
import { statesReachableFrom, type TransitionAction } from './state-machine';

/** The states of a unit's part of a report (ADR 0073). Not lifecycle states: never on the public page. */
export const TASK_STATES = ['OPEN', 'IN_PROGRESS', 'DONE', 'CANCELLED'] as const;
export type TaskState = (typeof TASK_STATES)[number];
export const OPEN_TASK_STATES: readonly TaskState[] = ['OPEN', 'IN_PROGRESS'];

/** What the console shows for a part's state, in the words the report's own states use. */
export const TASK_LABELS: Record<TaskState, string> = {
  OPEN: 'Menunggu',
  IN_PROGRESS: 'Proses',
  DONE: 'Selesai',
  CANCELLED: 'Dibatalkan',
};

export const TASK_ACTIONS = ['claim', 'assign', 'start', 'done'] as const;
export type TaskAction = (typeof TASK_ACTIONS)[number];

/**
 * While units work parts of a report, the report itself only waits for them: the last part done
 * moves it on. Closing it (reject, merge) stays possible and cancels the open parts; every other
 * move would take the report from under the units working on it.
 */
export const WHILE_TASKS_OPEN: readonly TransitionAction[] = ['reject', 'merge'];

export async function openTaskCount(tx: Pick<EntityManager, 'query'>, reportId: string): Promise<number> {
  const [{ n }] = (await tx.query(
    `SELECT count(*)::int AS n FROM report_task WHERE report_id = $1 AND state = ANY($2)`,
    [reportId, OPEN_TASK_STATES],
  )) as Array<{ n: number }>;
  return n;
}

/** Refuses a report-level move while parts are open; called under the report's lock. */
export async function refuseWhileTasksOpen(
  tx: EntityManager,
  report: { id: string; state: LifecycleState },
  action: TransitionAction,
): Promise<void> {
  if (WHILE_TASKS_OPEN.includes(action)) return;
  const open = await openTaskCount(tx, report.id);
  if (!open) return;
  throw new ApiError(
    409,
    'ILLEGAL_TRANSITION',
    `cannot ${action} while ${open} unit part(s) of this report are open: the report moves on when the last is done`,
    {
      state: report.state,
      allowedActions: [...WHILE_TASKS_OPEN],
      allowedStates: statesReachableFrom(report.state),
    },
  );
}

/** A rejected or merged report needs no unit to finish its part. Their clocks stop with the report's. */
export async function cancelOpenTasks(tx: EntityManager, reportId: string): Promise<void> {
  await tx.query(
    `UPDATE report_task SET state = 'CANCELLED', version = version + 1 WHERE report_id = $1 AND state = ANY($2)`,
    [reportId, OPEN_TASK_STATES],
  );
}

/**
 * What the officer may do with a part, in its state now: its own unit's officers (and admins)
 * work it; whoever may assign reports may also assign a part to an officer of its unit.
 */
export function taskActionsFor(
  who: Pick<OfficerPrincipal, 'role' | 'unit'>,
  task: { unit_code: string; state: TaskState },
): TaskAction[] {
  if (!OPEN_TASK_STATES.includes(task.state)) return [];
  const ofUnit = who.role === 'admin' || (who.role === 'unit_officer' && who.unit === task.unit_code);
  return TASK_ACTIONS.filter((a) => {
    if (a === 'assign') return ofUnit || who.role === 'crm_officer';
    if (!ofUnit) return false;
    if (a === 'start') return task.state === 'OPEN';
    if (a === 'done') return task.state === 'IN_PROGRESS';
    return true;
  });
}

/** Whether the role and unit may ever take the action on the part, whatever its state. */
export function mayWorkTask(
  who: Pick<OfficerPrincipal, 'role' | 'unit'>,
  task: { unit_code: string },
  action: TaskAction,
): boolean {
  const ofUnit = who.role === 'admin' || (who.role === 'unit_officer' && who.unit === task.unit_code);
  return action === 'assign' ? ofUnit || who.role === 'crm_officer' : ofUnit;
}
