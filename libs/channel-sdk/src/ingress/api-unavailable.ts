import { BadRequestException, HttpException, ServiceUnavailableException } from '@nestjs/common';
import { classifyFailure } from '@aduan/bus';
import type { Logger } from '@aduan/platform';
import { IntakeSaturated } from '../limits/in-flight';

/** Seconds an API client is asked to wait before sending again while intake is away. */
export const API_RETRY_AFTER_SECONDS = 30;

/**
 * Runs an API ingress's intake and answers its failures as every API ingress does: a request
 * the event contract refuses is a 400 naming why; Kafka or the database away is a 503 with
 * Retry-After, never a 500 (the client would give up) nor a 202 (a report number that may not
 * exist). The client sends the same request again, under the same Idempotency-Key.
 */
export async function orServiceUnavailable<T>(
  res: { setHeader(name: string, value: string): unknown },
  log: Logger,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof HttpException) throw err;
    if (err instanceof IntakeSaturated) {
      res.setHeader('Retry-After', String(err.retryAfterSeconds));
      throw new ServiceUnavailableException(err.message);
    }
    const failure = classifyFailure(err);
    if (failure.kind === 'permanent')
      throw new BadRequestException(`the request cannot be taken in: ${failure.message}`);
    log.warn('request not taken in, the client will send it again', { error: failure.message });
    res.setHeader('Retry-After', String(API_RETRY_AFTER_SECONDS));
    throw new ServiceUnavailableException('intake is briefly unavailable; send the request again later');
  }
}
