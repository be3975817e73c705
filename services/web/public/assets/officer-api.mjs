/* global fetch, sessionStorage, crypto, FormData, URL, URLSearchParams, location */
// The officer API of the status service, reached through this site's /api/status proxy.
// The token lives in sessionStorage: it survives a reload of the tab, not the closing of it,
// and is never written anywhere else (see docs/adr/0041-console-session-and-images.md).

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

export function loadSession() {
  try {
    const session = JSON.parse(sessionStorage.getItem(KEY) ?? 'null');
    if (!session?.accessToken || Date.parse(session.expiresAt) <= Date.now()) return null;
    return session;
  } catch {
    return null;
  }
}

export function saveSession(session) {
  sessionStorage.setItem(KEY, JSON.stringify(session));
}

export function clearSession() {
  sessionStorage.removeItem(KEY);
}

async function call(path, { method = 'GET', json, form, raw = false } = {}) {
  const session = loadSession();
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
  saveSession({ accessToken: answer.accessToken, expiresAt: answer.expiresAt, user: answer.user });
  return answer.user;
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
  contact: (id, reason) =>
    call(`/reports/${encodeURIComponent(id)}/contact`, { method: 'POST', json: { reason } }),
  upload: (id, file) => {
    const form = new FormData();
    form.append('file', file, file.name);
    return call(`/reports/${encodeURIComponent(id)}/evidence`, { method: 'POST', form });
  },
  /** Images need the token, so they are fetched and shown as blob: URLs. */
  image: async (url) => (await call(officerPath(url), { raw: true })).blob(),
};
