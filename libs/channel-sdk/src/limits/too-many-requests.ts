import { HttpException, HttpStatus, ServiceUnavailableException } from '@nestjs/common';
import { API_RETRY_AFTER_SECONDS } from '../ingress/api-unavailable';
import type { Limit, LimitVerdict, RateLimits } from './rate-limits';

/** A 429 whose body names the limit; the Retry-After header is set by `enforceLimits`. */
export class TooManyRequests extends HttpException {
  constructor(
    readonly limitName: string,
    readonly retryAfterSeconds: number,
  ) {
    super(
      {
        statusCode: HttpStatus.TOO_MANY_REQUESTS,
        error: 'Too Many Requests',
        message: `too many requests (${limitName}); try again in ${retryAfterSeconds} s`,
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}

export interface LimitedKey {
  limit: Limit;
  /** Whose requests: an API key, a client IP, a username. Absent keys are not counted. */
  key: string | undefined;
}

/**
 * Counts one request against every limit given (an API key and the client's IP, say), all in
 * one statement, and
 * refuses it with 429 and Retry-After when any is exceeded: the longest wait of those exceeded,
 * so a client that obeys the header is not refused again at once. The counters live in
 * PostgreSQL: while it is away the request is answered 503 with Retry-After, as every API
 * ingress answers an outage, never 500.
 */
export async function enforceLimits(
  limits: RateLimits,
  res: { setHeader(name: string, value: string): unknown },
  keys: readonly LimitedKey[],
): Promise<void> {
  // Side by side: the counters of one request share a statement (ADR 0077).
  const counted = keys.filter((k): k is { limit: Limit; key: string } => Boolean(k.key) && k.limit.max > 0);
  let verdicts: LimitVerdict[];
  try {
    verdicts = await Promise.all(counted.map(({ limit, key }) => limits.take(limit, key)));
  } catch {
    res.setHeader('Retry-After', String(API_RETRY_AFTER_SECONDS));
    throw new ServiceUnavailableException(
      'requests cannot be counted right now; send the request again later',
    );
  }
  const over = counted
    .map(({ limit }, i) => ({ limit, verdict: verdicts[i]! }))
    .filter(({ verdict }) => !verdict.allowed);
  if (!over.length) return;
  const worst = over.reduce((a, b) => (b.verdict.retryAfterSeconds > a.verdict.retryAfterSeconds ? b : a));
  res.setHeader('Retry-After', String(worst.verdict.retryAfterSeconds));
  throw new TooManyRequests(worst.limit.name, worst.verdict.retryAfterSeconds);
}
