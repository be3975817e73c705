// The administration screens' calls: officer accounts on the status service (through the
// console's own client and its session), routing rules on the router through this site's
// /api/router proxy, which checks the session at the status service first (ADR 0075).
import { ApiError, call, clearSession, freshSession, type Problem, type User } from '../api/client';
import type { Preview } from '@aduan/routing/admin-api';
import type { operations } from '../api/openapi';

type Body<O extends keyof operations> = operations[O] extends {
  requestBody?: { content: { 'application/json': infer B } };
}
  ? B
  : never;

export type NewOfficer = Body<'AdminController_createUser'>;
export type OfficerChange = Body<'AdminController_updateUser'>;
export type PasswordReset =
  operations['AdminController_resetPassword']['responses'][200]['content']['application/json'];

const user = (id: string) => `/users/${encodeURIComponent(id)}`;

export const accountsApi = {
  create: (body: NewOfficer) => call<User>('/users', { method: 'POST', json: body }),
  update: (id: string, body: OfficerChange) => call<User>(user(id), { method: 'PATCH', json: body }),
  disable: (id: string) => call<User>(`${user(id)}/disable`, { method: 'POST' }),
  enable: (id: string) => call<User>(`${user(id)}/enable`, { method: 'POST' }),
  resetPassword: (id: string) => call<PasswordReset>(`${user(id)}/reset-password`, { method: 'POST' }),
};

/** A routing rule as the router stores it (libs/routing); the router validates every field. */
export interface RoutingRule {
  id: string;
  match: Partial<Record<'category' | 'kotaKode' | 'kecamatanKode' | 'kelurahanKode' | 'channel', string>>;
  target: { kind: 'OPD' | 'SUKU_DINAS' | 'KELURAHAN' | 'KECAMATAN' | 'KOTA_ADM'; opd?: string };
  priority: number;
  enabled?: boolean;
  note?: string;
}

export interface RuleSet {
  version: number;
  rules: RoutingRule[];
}

export interface RuleVersion {
  version: number;
  createdAt: string;
  createdBy: string;
  note: string | null;
  ruleCount: number;
}

const RULES = '/api/router/v1/admin/rules';

async function router<T>(path: string, method: 'GET' | 'POST' | 'PUT' = 'GET', json?: unknown): Promise<T> {
  const session = await freshSession();
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (session) headers['Authorization'] = `Bearer ${session.accessToken}`;
  if (json !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(`${RULES}${path}`, {
      method,
      headers,
      ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, { message: 'network' });
  }
  // The proxy asked the status service: the session is over, as everywhere else in the console.
  if (res.status === 401) clearSession();
  if (!res.ok) throw new ApiError(res.status, (await res.json().catch(() => ({}))) as Problem);
  return (await res.json()) as T;
}

export type { Preview, PreviewItem } from '@aduan/routing/admin-api';

export const rulesApi = {
  current: () => router<RuleSet>(''),
  versions: () => router<{ items: RuleVersion[] }>('/versions'),
  preview: (rules: unknown, limit: number) => router<Preview>('/preview', 'POST', { rules, limit }),
  publish: (rules: unknown, basedOn: number, note: string) =>
    router<RuleSet>('', 'PUT', { rules, basedOn, ...(note ? { note } : {}) }),
  rollback: (version: number, basedOn: number) => router<RuleSet>('/rollback', 'POST', { version, basedOn }),
};
