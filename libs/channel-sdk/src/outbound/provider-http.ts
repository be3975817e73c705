import { PermanentError } from '@aduan/bus';

/** Statuses that say "not now", not "never": the outbox tries again. */
const TRANSIENT = new Set([408, 425, 429]);

/**
 * One HTTP call of an outbound sender (a provider's send API, a partner's webhook), its failure
 * classified as the outbox worker needs it: a refusal (a 4xx other than 408, 425 and 429) will
 * not pass with time and is a PermanentError, so the message is marked failed with the
 * provider's own words; no answer, a timeout, 408, 425, 429 and 5xx are plain errors, so it is
 * tried again for as long as the outage lasts.
 */
export async function postOutbound(
  what: string,
  url: string,
  init: Omit<RequestInit, 'signal'>,
  timeoutMs = 15_000,
): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    throw new Error(`${what} unreachable: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (res.ok) return res;
  const detail = (await res.text().catch(() => '')).slice(0, 300);
  const reason = `${what} answered ${res.status}${detail ? `: ${detail}` : ''}`;
  if (res.status >= 400 && res.status < 500 && !TRANSIENT.has(res.status))
    throw new PermanentError('OUTBOUND_REFUSED', reason);
  throw new Error(reason);
}

export interface ProviderCall {
  method?: string;
  headers?: Record<string, string>;
  /** Sent as the JSON body. */
  json?: unknown;
  timeoutMs?: number;
}

/** `postOutbound` for a provider's JSON API: sends `json`, answers the parsed reply. */
export async function callProvider<T>(url: string, call: ProviderCall = {}): Promise<T> {
  const json = call.json !== undefined;
  const res = await postOutbound(
    new URL(url).host,
    url,
    {
      method: call.method ?? (json ? 'POST' : 'GET'),
      headers: { ...(json ? { 'Content-Type': 'application/json' } : {}), ...call.headers },
      ...(json ? { body: JSON.stringify(call.json) } : {}),
    },
    call.timeoutMs,
  );
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}
