// Parallel coordination and bulk actions of the officer API (ADR 0073), typed from the same
// generated OpenAPI document as the rest of the client.
import { call, type Json, type Report } from './client';
import type { operations } from './openapi';

/** One unit's part of a report handed to several units at once. */
export type Task = Report['tasks'][number];
export type TaskAction = operations['TasksController_act']['parameters']['path']['action'];
export type BulkAnswer = Json<'BulkController_bulk'>;
export type BulkResult = BulkAnswer['results'][number];
type BulkRequest = NonNullable<
  operations['BulkController_bulk']['requestBody']
>['content']['application/json'];
export type BulkAction = BulkRequest['action'];
export type BulkBody = Omit<BulkRequest, 'action' | 'reports'>;

const report = (id: string) => `/reports/${encodeURIComponent(id)}`;

export const taskApi = {
  /** Hands the report to several units at once; versioned by the report, as every report action. */
  coordinate: (id: string, units: string[], note: string | undefined, version: number) =>
    call<Report>(`${report(id)}/tasks`, {
      method: 'POST',
      json: { units, ...(note ? { note } : {}), version, actionId: crypto.randomUUID() },
    }),
  /** A part's actions carry the part's own version: units never conflict with each other. */
  act: (
    id: string,
    task: Task,
    action: TaskAction,
    body: { officer?: string; note?: string; evidence?: string[] } = {},
  ) =>
    call<Report>(`${report(id)}/tasks/${encodeURIComponent(task.id)}/${action}`, {
      method: 'POST',
      json: { ...body, version: task.version },
    }),
  bulk: (action: BulkAction, reports: Array<{ id: string; version: number }>, body: BulkBody = {}) =>
    call<BulkAnswer>('/bulk', { method: 'POST', json: { action, reports, ...body } }),
};
