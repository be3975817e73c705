/* global fetch, sessionStorage, crypto, FormData, URL, URLSearchParams, location */
// The officer API of the status service, reached through this site's /api/status proxy.
// The tokens live in sessionStorage: they survive a reload of the tab, not the closing of it,
// and are never written anywhere else (see docs/adr/0041-console-session-and-images.md). Access
// tokens live 5 minutes; the refresh token buys the next pair before one runs out (ADR 0057).

const BASE = '/api/status/v1/officer';
const KEY = 'aduan.officer.session';

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message ?? `HTTP ${status}`);
    this.status = status;
    this.body = body ?? {};
    this.code = body?.code ?? null;
  }
}

/** The part after /v1/officer of an evidence or attachment URL the status service gave, or null when it is not one of its own. */
export function officerPath(url) {
  try {
    const { pathname } = new URL(url, location.origin);
    return pathname.startsWith('/v1/officer/') ? pathname.slice('/v1/officer'.length) : null;
  } catch {
    return null;
  }
}

/** The stored session while its access token, or failing that its refresh token, is still good. */
export function loadSession() {
  try {
    const session = JSON.parse(sessionStorage.getItem(KEY) ?? 'null');
    if (!session?.accessToken) return null;
    const until = Math.max(Date.parse(session.expiresAt) || 0, Date.parse(session.refreshExpiresAt) || 0);
    return until > Date.now() ? session : null;
  } catch {
    return null;
  }
}

function sessionFrom(answer) {
  return {
    accessToken: answer.accessToken,
    expiresAt: answer.expiresAt,
    refreshToken: answer.refreshToken,
    refreshExpiresAt: answer.refreshExpiresAt,
    user: answer.user,
  };
}

// One refresh at a time: a refresh token is good once, and sending it twice ends the session.
let refreshing = null;

async function refreshSession(session) {
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
      const next = sessionFrom(await res.json());
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
export async function freshSession(force = false) {
  const session = loadSession();
  if (!session) return null;
  if (!force && Date.parse(session.expiresAt) - Date.now() > 30_000) return session;
  if (!session.refreshToken) return force ? null : session;
  return refreshSession(session);
}

export function saveSession(session) {
  sessionStorage.setItem(KEY, JSON.stringify(session));
}

export function clearSession() {
  sessionStorage.removeItem(KEY);
}

async function call(path, options = {}, retried = false) {
  const { method = 'GET', json, form, raw = false } = options;
  const session = path.startsWith('/auth/sign-in') ? null : await freshSession();
  const headers = { Accept: 'application/json' };
  if (session) headers.Authorization = `Bearer ${session.accessToken}`;
  let body;
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(json);
  } else if (form) body = form;
  let res;
  try {
    res = await fetch(`${BASE}${path}`, { method, headers, body, cache: 'no-store' });
  } catch {
    throw new ApiError(0, { message: 'network' });
  }
  // Refused although it looked fresh (a clock ahead of the server's): one refresh and retry.
  if (res.status === 401 && session && !retried && (await freshSession(true)))
    return call(path, options, true);
  if (res.status === 401 && path !== '/auth/sign-in') clearSession();
  if (!res.ok) {
    let problem = null;
    try {
      problem = await res.json();
    } catch {
      problem = null;
    }
    throw new ApiError(res.status, problem);
  }
  if (raw) return res;
  return res.status === 204 ? null : res.json();
}

export async function signIn(username, password) {
  const answer = await call('/auth/sign-in', { method: 'POST', json: { username, password } });
  saveSession(sessionFrom(answer));
  return answer.user;
}

/** Ends the session on the server too, so its refresh token is worthless; signed out here whatever happens. */
export async function signOut() {
  try {
    if (loadSession()) await call('/auth/sign-out', { method: 'POST' });
  } catch {
    // Signed out here anyway; the server's session then ends with its refresh token's life.
  } finally {
    clearSession();
  }
}

export const officerApi = {
  units: () => call('/units'),
  users: () => call('/users'),
  notifications: () => call('/notifications'),
  queue: (params) => call(`/queue?${new URLSearchParams(Object.entries(params).filter(([, v]) => v))}`),
  report: (id) => call(`/reports/${encodeURIComponent(id)}`),
  /** Every state-changing action carries the version the officer saw and a fresh action id. */
  act: (id, action, body, version) =>
    call(`/reports/${encodeURIComponent(id)}/${action}`, {
      method: 'POST',
      json: { ...body, version, actionId: crypto.randomUUID() },
    }),
  note: (id, text) => call(`/reports/${encodeURIComponent(id)}/notes`, { method: 'POST', json: { text } }),
  /** Without a requestId: opens a request a second officer approves. With an approved one: the contact. */
  contact: (id, reason, requestId) =>
    call(`/reports/${encodeURIComponent(id)}/contact`, {
      method: 'POST',
      json: requestId ? { reason, requestId } : { reason },
    }),
  approveContact: (id, requestId) =>
    call(`/reports/${encodeURIComponent(id)}/contact/${encodeURIComponent(requestId)}/approve`, {
      method: 'POST',
    }),
  upload: (id, file) => {
    const form = new FormData();
    form.append('file', file, file.name);
    return call(`/reports/${encodeURIComponent(id)}/evidence`, { method: 'POST', form });
  },
  /** Images need the token, so they are fetched and shown as blob: URLs. */
  image: async (url) => (await call(officerPath(url), { raw: true })).blob(),
};
