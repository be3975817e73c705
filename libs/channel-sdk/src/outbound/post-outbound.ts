import { PermanentError } from '@aduan/bus';

/**
 * One HTTP call of an outbound sender (a provider's send API, a partner's webhook), its failure
 * classified as the outbox worker needs it: a refusal (4xx other than 408 and 429) will not pass
 * with time and is a PermanentError, so the message is marked failed; no answer, a timeout, 408,
 * 429 and 5xx are plain errors, so it is tried again for as long as the outage lasts.
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
  const reason = `${what} answered ${res.status}`;
  if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429)
    throw new PermanentError('OUTBOUND_REFUSED', reason);
  throw new Error(reason);
}
