import { backoffDelay, type Logger } from '@aduan/platform';
import type { OAuth2Client } from './oauth2-client';

/** A token is renewed once this share of its lifetime has passed, well before it runs out. */
const RENEW_AT = 0.75;
const TIMEOUT_MS = 15_000;
const MAX_TOKEN_CHARS = 16_384;

interface Token {
  value: string;
  renewAt: number;
  expiresAt: number;
}

/** The token endpoint did not give a usable access token; `reason` holds no secret. */
export class TokenRefreshFailed extends Error {
  constructor(readonly reason: string) {
    super(`OAuth2 access token could not be renewed: ${reason}`);
    this.name = 'TokenRefreshFailed';
  }
}

/**
 * The mailbox user's OAuth2 access token, renewed from the refresh token with the standard
 * `grant_type=refresh_token` form post (Google, Microsoft and any RFC 6749 server answer it the
 * same way). One token serves IMAP and SMTP. It is renewed on a timer before it expires, at
 * once when a server refuses it, and after a failed renewal with backoff until the token
 * server answers again; meanwhile `assertRenewable` fails readiness with the reason.
 */
export class AccessTokens {
  private token: Token | undefined;
  private refreshToken: string;
  private inFlight: Promise<Token> | undefined;
  private failure: { error: TokenRefreshFailed; attempts: number; retryAt: number } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly client: OAuth2Client,
    private readonly opts: { log: Logger; maxBackoffMs: number },
  ) {
    this.refreshToken = client.refreshToken;
  }

  private now(): number {
    return Date.now();
  }

  /** A token with most of its lifetime ahead, renewed first if needed. */
  async get(): Promise<string> {
    const token = this.token;
    if (token && this.now() < token.renewAt) return token.value;
    try {
      return (await this.renew()).value;
    } catch (err) {
      // A token that has not yet run out still signs in while the token server is away.
      if (token && token.expiresAt > this.now()) return token.value;
      throw err;
    }
  }

  /** A server refused this token (revoked, or expired early): the next `get` renews it. */
  refused(value: string): void {
    if (this.token?.value === value) this.token = undefined;
    this.failure = this.failure && { ...this.failure, retryAt: 0 };
  }

  /** For readiness: throws the last renewal failure until a renewal succeeds again. */
  assertRenewable(): void {
    if (this.failure) throw this.failure.error;
  }

  /** Gets the first token, so a misconfigured client shows in the log and readiness at once. */
  start(): void {
    void this.renew().catch(() => undefined);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** One renewal at a time; while backing off after a failure, the failure is answered at once. */
  private renew(): Promise<Token> {
    if (this.inFlight) return this.inFlight;
    if (this.failure && this.now() < this.failure.retryAt) return Promise.reject(this.failure.error);
    this.inFlight = this.request()
      .then((token) => this.renewed(token))
      .catch((err: unknown) => {
        throw this.failed(err);
      })
      .finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private renewed(token: Token): Token {
    const recovered = Boolean(this.failure);
    this.token = token;
    this.failure = undefined;
    const lifetime = token.expiresAt - this.now();
    this.schedule(Math.max(1000, token.renewAt - this.now()));
    this.opts.log.info(recovered ? 'OAuth2 access token renewed again' : 'OAuth2 access token renewed', {
      expiresInS: Math.round(lifetime / 1000),
    });
    return token;
  }

  private failed(err: unknown): TokenRefreshFailed {
    const error =
      err instanceof TokenRefreshFailed
        ? err
        : new TokenRefreshFailed(`token endpoint unreachable (${causeOf(err)})`);
    const attempts = (this.failure?.attempts ?? 0) + 1;
    const wait = backoffDelay(attempts, 1000, this.opts.maxBackoffMs);
    this.failure = {
      error: new TokenRefreshFailed(this.redact(error.reason)),
      attempts,
      retryAt: this.now() + wait,
    };
    this.schedule(wait);
    this.opts.log.warn('OAuth2 access token could not be renewed, will retry', {
      error: this.failure.error.reason,
      attempt: attempts,
      retryInMs: wait,
    });
    return this.failure.error;
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.renew().catch(() => undefined), ms);
    this.timer.unref();
  }

  private async request(): Promise<Token> {
    const { tokenUrl, clientId, clientSecret, scope } = this.client;
    const form = new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: this.refreshToken,
      client_id: clientId,
      ...(clientSecret && { client_secret: clientSecret }),
      ...(scope && { scope }),
    });
    const res = await fetch(tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: form,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const text = await res.text();
    let body: Record<string, unknown> = {};
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === 'object') body = parsed as Record<string, unknown>;
    } catch {
      // Not JSON (a proxy's error page): the status says enough.
    }
    if (!res.ok) {
      const code = typeof body['error'] === 'string' ? body['error'] : 'no error code';
      const said = typeof body['error_description'] === 'string' ? ` (${body['error_description']})` : '';
      throw new TokenRefreshFailed(`token endpoint answered ${res.status} ${code}${said}`);
    }
    return this.tokenFrom(body);
  }

  /** The token endpoint's answer, checked: it is put on the wire of two mail servers. */
  private tokenFrom(body: Record<string, unknown>): Token {
    const value = body['access_token'];
    if (typeof value !== 'string' || !value || value.length > MAX_TOKEN_CHARS || /[^\x21-\x7e]/.test(value))
      throw new TokenRefreshFailed('token endpoint answered without a usable access_token');
    const type = body['token_type'];
    if (type !== undefined && String(type).toLowerCase() !== 'bearer')
      throw new TokenRefreshFailed(
        `token endpoint answered a ${String(type).slice(0, 20)} token, not a bearer token`,
      );
    // RFC 6749 makes expires_in optional; some servers send it as a string.
    const seconds = Number(body['expires_in'] ?? 3600);
    if (!Number.isFinite(seconds) || seconds <= 0)
      throw new TokenRefreshFailed('token endpoint answered an access token without a valid expires_in');
    // Microsoft hands out a new refresh token with each renewal; the newest is used from then on.
    const next = body['refresh_token'];
    if (typeof next === 'string' && next && next.length <= MAX_TOKEN_CHARS) this.refreshToken = next;
    const now = this.now();
    return { value, renewAt: now + seconds * 1000 * RENEW_AT, expiresAt: now + seconds * 1000 };
  }

  /** A provider's words go to logs and readiness: never with a credential in them, never long. */
  private redact(reason: string): string {
    let out = reason.replace(/[^\x20-\x7e]/g, ' ');
    for (const secret of [
      this.client.refreshToken,
      this.refreshToken,
      this.client.clientSecret,
      this.token?.value,
    ])
      if (secret) out = out.split(secret).join('***');
    return out.length > 300 ? `${out.slice(0, 300)}…` : out;
  }
}

/** fetch's own message is only "fetch failed"; the cause says what happened (ECONNREFUSED…). */
function causeOf(err: unknown): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  return e.cause?.code ?? e.cause?.message ?? e.message;
}
