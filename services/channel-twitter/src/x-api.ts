import { Agent as HttpAgent } from 'node:http';
import { PermanentError, RateLimited } from '@aduan/channel-sdk';
import {
  ApiResponseError,
  TwitterApi,
  type ITwitterApiClientPlugin,
  type TwitterApiTokens,
} from 'twitter-api-v2';

/** Where twitter-api-v2 sends every request; rewritten to `TWITTER_API_BASE_URL`. */
const X_ORIGIN = 'https://api.x.com';
const TIMEOUT_MS = 15_000;

/**
 * Through the library's plugin hook, which sees every call whatever prefix its method uses
 * (`/2/`, `/1.1/`): points it at another address (a stand-in, a proxy), and gives each call a
 * timeout, as a hung call would hold a poll or a claimed reply.
 */
function requestPlugin(base: string): ITwitterApiClientPlugin {
  return {
    onBeforeRequestConfig({ params }) {
      if (base !== X_ORIGIN && params.url.startsWith(X_ORIGIN))
        params.url = base + params.url.slice(X_ORIGIN.length);
      params.timeout ??= TIMEOUT_MS;
    },
  };
}

/** The client for the city's account, speaking to `baseUrl`. */
export function xClient(tokens: TwitterApiTokens, baseUrl: string): TwitterApi {
  const base = baseUrl.replace(/\/+$/, '');
  const plain = base.startsWith('http://');
  return new TwitterApi(tokens, {
    plugins: [requestPlugin(base)],
    // The library sends with `https.request`; a plain-HTTP address (a stand-in, a proxy on the
    // host) needs an HTTP agent for it.
    ...(plain ? { httpAgent: new HttpAgent({ keepAlive: true }) } : {}),
  });
}

/** X refused the account's credentials: the operator has to issue new ones. */
export class CredentialsRefused extends Error {
  constructor(
    readonly account: string,
    readonly status: number,
  ) {
    super(
      `X refused the credentials of account ${account} (HTTP ${status}): issue new TWITTER_ACCESS_TOKEN/TWITTER_ACCESS_SECRET or check the app's keys and permissions`,
    );
    this.name = 'CredentialsRefused';
  }
}

/** X refused this one request (4xx): sending it again as it is will not help. */
export class XRefused extends PermanentError {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super('X_REFUSED', message);
    this.name = 'XRefused';
  }
}

/** X's own words for a failed call, never the request (it carries the query and the text). */
function describe(err: ApiResponseError): string {
  const first = err.errors?.[0] as { detail?: string; message?: string; title?: string } | undefined;
  const data = err.data as { detail?: string; title?: string } | undefined;
  return first?.detail ?? first?.message ?? data?.detail ?? data?.title ?? `HTTP ${err.code}`;
}

/**
 * Turns a failed call into what the channel kit acts on: a 429 waits until X's own
 * `x-rate-limit-reset`; a 401 is the account's credentials (the adapter is not ready until they
 * work again, and it keeps trying); a refusal of this one request is permanent; anything else
 * (5xx, the network, a timeout) is transient and retried.
 */
export function translateError(err: unknown, account: string, what: string): Error {
  if (!(err instanceof ApiResponseError)) return err instanceof Error ? err : new Error(String(err));
  if (err.code === 429) {
    const reset = err.rateLimit?.reset ?? Number(err.headers?.['x-rate-limit-reset']);
    // Without a reset time, a minute: never ask again at once.
    const resumeAt =
      Number.isFinite(reset) && reset > 0 ? new Date(reset * 1000) : new Date(Date.now() + 60_000);
    return new RateLimited(resumeAt, `X rate limit on ${what} until ${resumeAt.toISOString()}`);
  }
  if (err.code === 401) return new CredentialsRefused(account, err.code);
  const reason = `X answered ${err.code} to ${what}: ${describe(err)}`;
  if (err.code >= 400 && err.code < 500 && err.code !== 408) return new XRefused(err.code, reason);
  return new Error(reason);
}
