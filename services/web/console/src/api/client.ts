// The officer API of the status service, reached through this site's /api/status proxy, typed
// from the service's OpenAPI document (./openapi.ts, generated; see ADR 0060).
// The tokens live in sessionStorage: they survive a reload of the tab, not the closing of it, and
// are never written anywhere else (ADR 0041). Access tokens live 5 minutes; the refresh token buys
// the next pair before one runs out (ADR 0057). The news and WhatsApp pages read the same entry.
import type { operations, paths } from './openapi';

const BASE = '/api/status/v1/officer';
const KEY = 'aduan.officer.session';
/** Refresh this long before the access token ends, so no request meets an expired one. */
const MARGIN_MS = 30_000;

export type Json<O extends keyof operations, S extends number = 200> = operations[O] extends {
  responses: { [K in S]: { content: { 'application/json': infer T } } };
}
  ? T
  : never;

export type SignedIn = Json<'AuthController_signIn'>;
export type User = SignedIn['user'];
export type Role = User['role'];
export type Unit = Json<'AdminController_units'>['items'][number];
export type QueueAnswer = Json<'ReportsController_queue'>;
export type QueueItem = QueueAnswer['items'][number];
export type QueueQuery = NonNullable<operations['ReportsController_queue']['parameters']['query']>;
export type SearchAnswer = Json<'ReportsController_search'>;
export type SearchQuery = NonNullable<operations['ReportsController_search']['parameters']['query']>;
export type Category = Json<'AdminController_categories'>['items'][number];
export type Report = Json<'ReportsController_detail'>;
export type Evidence = Report['evidence'][number];
export type Notification = Json<'ReportsController_notifications'>['items'][number];
export type Contact = Json<'ReportsController_contact'>;
export type RevealRequested = Json<'ReportsController_contact', 202>;
/** The lifecycle actions the API takes at POST /reports/{id}/{action}. */
export type TransitionAction = operations['ReportsController_act']['parameters']['path']['action'];
/** The body of a lifecycle action besides `version` and `actionId`; `officer` is the assign action's. */
export type ActionBody = Omit<
  NonNullable<operations['ReportsController_act']['requestBody']>['content']['application/json'],
  'version' | 'actionId'
> & { officer?: string };

/** What officers said to the report's citizen and what the citizen answered (ADR 0074). */
export type Conversation = Json<'MessagesController_conversation'>;
export type ConversationEntry = Conversation['entries'][number];
export type MessageSent = Json<'MessagesController_send', 201>;
export type MessageKind = NonNullable<
  operations['MessagesController_send']['requestBody']
>['content']['application/json']['kind'];

export type RecategoriseBody = Omit<
  NonNullable<operations['ReportsController_recategorise']['requestBody']>['content']['application/json'],
  'version' | 'actionId'
>;

export interface Session {
  accessToken: string;
  expiresAt: string;
  refreshToken: string;
  refreshExpiresAt: string;
  user: User;
}

export interface Problem {
  code?: string;
  message?: string | string[];
  problems?: string[];
  state?: string;
  allowedActions?: string[];
}

export class ApiError extends Error {
  readonly code: string | null;
  constructor(
    readonly status: number,
    readonly body: Problem = {},
  ) {
    super([body.message ?? `HTTP ${status}`].flat().join('; '));
    this.code = body.code ?? null;
  }
}

/** The part after /v1/officer of a URL the status service gave, or null when it is not one of its own. */
export function officerPath(url: string): string | null {
  try {
    const { pathname } = new URL(url, location.origin);
    return pathname.startsWith('/v1/officer/') ? pathname.slice('/v1/officer'.length) : null;
  } catch {
    return null;
  }
}

/** The stored session while its access token, or failing that its refresh token, is still good. */
export function loadSession(): Session | null {
  try {
    const session = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as Session | null;
    if (!session?.accessToken) return null;
    const until = Math.max(Date.parse(session.expiresAt) || 0, Date.parse(session.refreshExpiresAt) || 0);
    return until > Date.now() ? session : null;
  } catch {
    return null;
  }
}

function saveSession(session: Session): void {
  sessionStorage.setItem(KEY, JSON.stringify(session));
}

export function clearSession(): void {
  sessionStorage.removeItem(KEY);
}

function sessionFrom(answer: SignedIn): Session {
  const { accessToken, expiresAt, refreshToken, refreshExpiresAt, user } = answer;
  return { accessToken, expiresAt, refreshToken, refreshExpiresAt, user };
}

// One refresh at a time: a refresh token is good once, and sending it twice ends the session.
let refreshing: Promise<Session | null> | null = null;

function refreshSession(session: Session): Promise<Session | null> {
  refreshing ??= (async () => {
    try {
      const res = await fetch(`${BASE}/auth/refresh`, {
        method: 'POST',
        headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
        body: JSON.stringify({ refreshToken: session.refreshToken }),
        cache: 'no-store',
      });
      if (!res.ok) {
        if (res.status === 401) clearSession();
        return null;
      }
      const next = sessionFrom((await res.json()) as SignedIn);
      saveSession(next);
      return next;
    } catch {
      return null;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

/**
 * A session whose access token is good for at least the next 30 seconds, refreshed when needed;
 * null when signed out. `force` refreshes anyway (the server refused the token it had).
 */
export async function freshSession(force = false): Promise<Session | null> {
  const session = loadSession();
  if (!session) return null;
  if (!force && Date.parse(session.expiresAt) - Date.now() > MARGIN_MS) return session;
  if (!session.refreshToken) return force ? null : session;
  return refreshSession(session);
}

/** When the access token of the stored session needs renewing, in ms from now; null when signed out. */
export function renewalDueIn(): number | null {
  const session = loadSession();
  return session ? Math.max(0, Date.parse(session.expiresAt) - Date.now() - MARGIN_MS) : null;
}

interface CallOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  json?: unknown;
  form?: FormData;
}

async function send(path: string, options: CallOptions, retried = false): Promise<Response> {
  const { method = 'GET', json, form } = options;
  const session = path === '/auth/sign-in' ? null : await freshSession();
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (session) headers['Authorization'] = `Bearer ${session.accessToken}`;
  let body: BodyInit | undefined;
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(json);
  } else if (form) body = form;
  let res: Response;
  try {
    res = await fetch(`${BASE}${path}`, { method, headers, body, cache: 'no-store' });
  } catch {
    throw new ApiError(0, { message: 'network' });
  }
  // Refused although it looked fresh (a clock ahead of the server's): one refresh and retry.
  if (res.status === 401 && session && !retried && (await freshSession(true)))
    return send(path, options, true);
  if (res.status === 401 && path !== '/auth/sign-in') clearSession();
  if (!res.ok) {
    const problem = (await res.json().catch(() => ({}))) as Problem;
    throw new ApiError(res.status, problem);
  }
  return res;
}

/** One officer API call with the session's token; the administration screens call through it too. */
export async function call<T>(path: string, options: CallOptions = {}): Promise<T> {
  const res = await send(path, options);
  return (res.status === 204 ? null : await res.json()) as T;
}

/** Filters left empty stay out of the address, which the officer may copy. */
function queryString(query: Record<string, string | number | undefined>): URLSearchParams {
  const given = Object.entries(query).filter(([, v]) => v !== undefined && v !== '');
  return new URLSearchParams(given.map(([k, v]) => [k, String(v)]));
}

const report = (id: string) => `/reports/${encodeURIComponent(id)}`;

/** `newPassword` replaces a one-time password an admin gave (ADR 0075). */
export async function signIn(username: string, password: string, newPassword?: string): Promise<User> {
  const answer = await call<SignedIn>('/auth/sign-in', {
    method: 'POST',
    json: newPassword ? { username, password, newPassword } : { username, password },
  });
  saveSession(sessionFrom(answer));
  return answer.user;
}

/** Ends the session on the server too, so its refresh token is worthless; signed out here whatever happens. */
export async function signOut(everywhere = false): Promise<void> {
  try {
    if (loadSession())
      await call(everywhere ? '/auth/sign-out-everywhere' : '/auth/sign-out', { method: 'POST' });
  } catch {
    // Signed out here anyway; the server's session then ends with its refresh token's life.
  } finally {
    clearSession();
  }
}

export const officerApi = {
  units: () => call<Json<'AdminController_units'>>('/units'),
  users: () => call<Json<'AdminController_users'>>('/users'),
  notifications: () => call<Json<'ReportsController_notifications'>>('/notifications'),
  categories: () => call<Json<'AdminController_categories'>>('/categories'),
  queue: (query: QueueQuery) => call<QueueAnswer>(`/queue?${queryString(query)}`),
  search: (query: SearchQuery) => call<SearchAnswer>(`/reports?${queryString(query)}`),
  report: (id: string) => call<Report>(report(id)),
  /** Every state-changing action carries the version the officer saw and a fresh action id. */
  act: (id: string, action: TransitionAction | 'claim' | 'assign', body: ActionBody, version: number) =>
    call<Report>(`${report(id)}/${action}`, {
      method: 'POST',
      json: { ...body, version, actionId: crypto.randomUUID() },
    }),
  /** Files the report under another category of GET /categories; the state and unit stay (ADR 0068). */
  recategorise: (id: string, body: RecategoriseBody, version: number) =>
    call<Report>(`${report(id)}/recategorise`, {
      method: 'POST',
      json: { ...body, version, actionId: crypto.randomUUID() },
    }),
  conversation: (id: string) => call<Conversation>(`${report(id)}/conversation`),
  /** A question or a message to the reporter, on their channel; the action id makes a retry send once. */
  message: (id: string, kind: MessageKind, text: string, actionId: string) =>
    call<MessageSent>(`${report(id)}/messages`, { method: 'POST', json: { kind, text, actionId } }),
  note: (id: string, text: string) =>
    call<Json<'ReportsController_note', 201>>(`${report(id)}/notes`, { method: 'POST', json: { text } }),
  /** Without a requestId: opens a request a second officer approves. With an approved one: the contact. */
  contact: (id: string, reason: string, requestId?: string) =>
    call<Contact | RevealRequested>(`${report(id)}/contact`, {
      method: 'POST',
      json: requestId ? { reason, requestId } : { reason },
    }),
  approveContact: (id: string, requestId: string) =>
    call<Json<'ReportsController_approveReveal'>>(
      `${report(id)}/contact/${encodeURIComponent(requestId)}/approve`,
      { method: 'POST' },
    ),
  upload: (id: string, file: File) => {
    const form = new FormData();
    form.append('file', file, file.name);
    return call<Evidence>(`${report(id)}/evidence`, { method: 'POST', form });
  },
  /** Images need the token, so they are fetched and shown as blob: URLs. */
  image: async (path: string) => (await send(path, {})).blob(),
};

/**
 * Follows the live queue (`GET /events`, server-sent events) with the session's token, which an
 * EventSource could not send: `onReport` for each report that changed, `onOpen(true|false)` as
 * the stream comes and goes. A stream ends with its access token; it is reopened at once with a
 * fresh one, and after a pause when the service is away. Returns the function that stops it.
 */
export function followQueue(handlers: {
  onReport(id: string): void;
  onOpen(open: boolean): void;
}): () => void {
  const stop = new AbortController();
  const run = async () => {
    while (!stop.signal.aborted) {
      const session = await freshSession();
      if (!session) return;
      let ended = false;
      try {
        const res = await fetch(`${BASE}/events`, {
          headers: { Accept: 'text/event-stream', Authorization: `Bearer ${session.accessToken}` },
          cache: 'no-store',
          signal: stop.signal,
        });
        if (res.status === 401 && !(await freshSession(true))) return;
        if (res.ok && res.body) {
          ended = await readEvents(res.body, handlers);
        }
      } catch {
        // Cut or refused: the pause below, then a fresh try.
      }
      handlers.onOpen(false);
      if (!ended && !stop.signal.aborted) await new Promise((resume) => setTimeout(resume, 3000));
    }
  };
  void run();
  return () => stop.abort();
}

/** Reads one stream to its end; true when the service ended it (the token's life is over). */
async function readEvents(
  body: ReadableStream<Uint8Array>,
  handlers: { onReport(id: string): void; onOpen(open: boolean): void },
): Promise<boolean> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return true;
    buffer += decoder.decode(value, { stream: true });
    let cut: number;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const event = /^event: (.+)$/m.exec(block)?.[1];
      const data = /^data: (.+)$/m.exec(block)?.[1];
      if (event === 'ready') handlers.onOpen(true);
      if (event === 'resync') handlers.onReport('');
      if (event === 'report' && data) handlers.onReport((JSON.parse(data) as { id: string }).id);
    }
  }
}

/** Kept so the generated paths stay referenced: a renamed endpoint fails the console's type check. */
export type OfficerPaths = Pick<
  paths,
  | '/v1/officer/auth/sign-in'
  | '/v1/officer/auth/refresh'
  | '/v1/officer/auth/sign-out'
  | '/v1/officer/auth/sign-out-everywhere'
  | '/v1/officer/queue'
  | '/v1/officer/reports'
  | '/v1/officer/categories'
  | '/v1/officer/events'
  | '/v1/officer/reports/{id}'
  | '/v1/officer/reports/{id}/{action}'
  | '/v1/officer/reports/{id}/contact'
  | '/v1/officer/reports/{id}/contact/{requestId}/approve'
  | '/v1/officer/reports/{id}/evidence'
  | '/v1/officer/reports/{id}/notes'
  | '/v1/officer/reports/{id}/recategorise'
  | '/v1/officer/reports/{id}/messages'
  | '/v1/officer/reports/{id}/conversation'
  | '/v1/officer/units'
  | '/v1/officer/users'
  | '/v1/officer/users/{id}'
  | '/v1/officer/users/{id}/reset-password'
  | '/v1/officer/notifications'
>;
