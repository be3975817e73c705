import { BadRequestException, ConflictException } from '@nestjs/common';
import { IDEMPOTENCY_KEY, IdempotencyConflict, type IdempotencyKeys } from './idempotency';

/**
 * An API request under an optional `Idempotency-Key` header, answered as every API ingress
 * answers it: a malformed key is a 400, the same key with another body a 409, a repeat gets the
 * first answer. Without a key `compute` runs every time; with one it gets the key, so the
 * adapter can derive its report id from it.
 */
export async function withIdempotencyKey<T>(
  keys: IdempotencyKeys,
  client: string,
  key: unknown,
  body: unknown,
  compute: (key: string | undefined) => Promise<T>,
): Promise<T> {
  if (key === undefined) return compute(undefined);
  if (typeof key !== 'string' || !IDEMPOTENCY_KEY.test(key))
    throw new BadRequestException('Idempotency-Key must be 1 to 200 visible ASCII characters');
  try {
    return await keys.once(client, key, body, () => compute(key));
  } catch (err) {
    if (err instanceof IdempotencyConflict) throw new ConflictException(err.message);
    throw err;
  }
}
