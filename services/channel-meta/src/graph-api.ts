import { PermanentError } from '@aduan/channel-sdk';
import type { Sources } from './sources';

/**
 * The Graph API calls the adapter makes, each with the token of the Page or Instagram account it
 * acts for, and every answer classified once: a refusal no retry changes is a PermanentError;
 * an outage, a rate limit or a refused token is a plain Error, so the outbox tries again.
 * https://developers.facebook.com/docs/graph-api/guides/error-handling
 */

// Codes that pass with time although some come with a 400: unknown or temporary errors (1, 2),
// application, user, Page and custom rate limits (4, 17, 32, 613, 80001, 80006).
const PASSING = new Set([1, 2, 4, 17, 32, 613, 80001, 80006]);
/** OAuthException: the token expired, was revoked or the password changed. */
const TOKEN_REFUSED = 190;

interface GraphError {
  code?: number;
  error_subcode?: number;
  message?: string;
  type?: string;
}

export class GraphApi {
  /** Pages and accounts whose token Meta refused, with Meta's words: the readiness check reads it. */
  readonly refusedTokens = new Map<string, string>();

  constructor(
    private readonly baseUrl: string,
    private readonly version: string,
    private readonly sources: Sources,
    private readonly timeoutMs = 15_000,
  ) {}

  post<T>(source: string, path: string, body: unknown): Promise<T> {
    return this.call<T>(source, 'POST', path, body);
  }

  /** GET /me with the source's token: answers whether Meta still accepts it. */
  async probe(source: string): Promise<void> {
    await this.call(source, 'GET', 'me?fields=id');
  }

  /**
   * A Messenger or Instagram Direct sender's display name (their webhook carries none). Best
   * effort: without permission, or while Meta is away, the report goes on without a name.
   */
  async nameOf(
    source: string,
    user: string,
    channel: 'messenger' | 'instagram',
  ): Promise<{ name?: string; handle?: string }> {
    const fields = channel === 'messenger' ? 'first_name,last_name' : 'name,username';
    try {
      const p = await this.call<{
        first_name?: string;
        last_name?: string;
        name?: string;
        username?: string;
      }>(source, 'GET', `${encodeURIComponent(user)}?fields=${fields}`, undefined, 5_000);
      const name = (p.name ?? [p.first_name, p.last_name].filter(Boolean).join(' ')).trim().slice(0, 200);
      return { ...(name ? { name } : {}), ...(p.username ? { handle: `@${p.username.slice(0, 100)}` } : {}) };
    } catch {
      // A courtesy, not part of the complaint: its absence never holds the report up.
      return {};
    }
  }

  private token(source: string): string {
    const token = this.sources.get(source);
    if (!token)
      throw new PermanentError(
        'META_NO_TOKEN',
        `no token for Page or account ${source}: add it to META_PAGES`,
      );
    return token;
  }

  private async call<T>(
    source: string,
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    timeoutMs = this.timeoutMs,
  ): Promise<T> {
    const headers = {
      authorization: `Bearer ${this.token(source)}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    };
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl.replace(/\/$/, '')}/${this.version}/${path}`, {
        method,
        headers,
        ...(body ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      throw new Error(`Graph API unreachable: ${err instanceof Error ? err.message : String(err)}`);
    }
    const answer = (await res.json().catch(() => ({}))) as { error?: GraphError };
    if (res.ok && !answer.error) {
      this.refusedTokens.delete(source);
      return answer as T;
    }
    const e = answer.error ?? {};
    const reason = `Graph API answered ${res.status}${e.code ? ` (code ${e.code}${e.error_subcode ? `/${e.error_subcode}` : ''}: ${e.message ?? ''})` : ''}`;
    if (e.code === TOKEN_REFUSED) {
      // Not the message's fault: it waits in the outbox until the Page's token is replaced.
      this.refusedTokens.set(source, reason);
      throw new Error(`the token of ${source} was refused: ${reason}`);
    }
    if (res.status >= 500 || res.status === 408 || res.status === 429 || PASSING.has(e.code ?? -1))
      throw new Error(reason);
    throw new PermanentError('META_REFUSED', reason);
  }
}
