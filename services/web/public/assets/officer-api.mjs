/* global fetch, sessionStorage */
// The officer session for the news and WhatsApp pages, shared with the console (its own typed
// client is services/web/console/src/api/client.ts and writes the same sessionStorage entry).
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

function saveSession(session) {
  sessionStorage.setItem(KEY, JSON.stringify(session));
}

export function clearSession() {
  sessionStorage.removeItem(KEY);
}
