import { PermanentError } from '@aduan/bus';

export interface ProviderCall {
  method?: string;
  headers?: Record<string, string>;
  /** Sent as the JSON body. */
  json?: unknown;
  timeoutMs?: number;
}

/** Statuses that say "not now", not "never": the outbox tries again. */
const TRANSIENT = new Set([408, 425, 429]);

/**
 * One call to a provider's JSON API, with the error policy every adapter needs: a 4xx refusal
 * (bad recipient, blocked, message rejected) is a PermanentError, the outbox marks the message
 * failed with the provider's own words; a timeout, a 429 or a 5xx is transient and retried.
 */
export async function callProvider<T>(url: string, call: ProviderCall = {}): Promise<T> {
  const res = await fetch(url, {
    method: call.method ?? (call.json === undefined ? 'GET' : 'POST'),
    headers: { ...(call.json === undefined ? {} : { 'Content-Type': 'application/json' }), ...call.headers },
    ...(call.json === undefined ? {} : { body: JSON.stringify(call.json) }),
    signal: AbortSignal.timeout(call.timeoutMs ?? 15_000),
  });
  const text = await res.text();
  if (res.ok) return (text ? JSON.parse(text) : undefined) as T;
  const reason = `${new URL(url).host} answered ${res.status}: ${text.slice(0, 300) || res.statusText}`;
  if (res.status >= 400 && res.status < 500 && !TRANSIENT.has(res.status))
    throw new PermanentError('PROVIDER_REFUSED', reason);
  throw new Error(reason);
}
