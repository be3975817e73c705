import type { IncomingHttpHeaders } from 'node:http';
import { AppKeys } from '@aduan/channel-sdk';
import { HttpException } from '@nestjs/common';

/**
 * API keys of the JAKI client apps (JAKI_API_KEYS, see AppKeys), presented as X-API-Key or
 * Authorization: Bearer. The app's name identifies it in idempotency keys, push deliveries and
 * metrics.
 */
export class ApiKeys {
  private readonly keys: AppKeys;

  constructor(entries: readonly string[] | undefined) {
    this.keys = new AppKeys(entries);
  }

  /** The client app of a request, or the 401/503 to answer. */
  authenticate(headers: IncomingHttpHeaders): string {
    const refuse = (status: 401 | 503, message: string) =>
      new HttpException(
        { statusCode: status, error: status === 401 ? 'Unauthorized' : 'Service Unavailable', message },
        status,
      );
    if (!this.keys.configured)
      throw refuse(503, 'report intake is disabled: the operator has not set JAKI_API_KEYS');
    const key = headers['x-api-key'];
    const presented =
      headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? (Array.isArray(key) ? key[0] : key);
    if (!presented) throw refuse(401, 'an API key is required (X-API-Key or Authorization: Bearer)');
    const client = this.keys.clientOf(presented);
    if (!client) throw refuse(401, 'the API key is not valid');
    return client;
  }
}
