import { PermanentError } from '@aduan/bus';
import type { Channel } from '@aduan/contracts';
import type { RateLimits } from './rate-limits';

/**
 * Messages taken from one sender (a phone number, a handle, an e-mail address) per window, on
 * every chat-like channel. A sender over it is not refused at the provider: a webhook that is
 * not answered 200 is delivered again and again. The message is quarantined instead (with this
 * reason, where officers see it) and the provider gets its 200; the poll ingress does the same
 * and reads on.
 */
export class SenderOverLimit extends PermanentError {
  constructor(max: number, windowMs: number) {
    super(
      'SENDER_RATE_LIMITED',
      `more than ${max} messages from one sender in ${Math.round(windowMs / 60_000)} minutes`,
    );
  }
}

export interface SenderLimit {
  /** Counts a message of `from`; throws SenderOverLimit when that is one too many. */
  admit(channel: Channel, from: string): Promise<void>;
}

/** A sender limit on the shared counters; none when `max` is 0. */
export function perSenderLimit(
  limits: RateLimits,
  max: number,
  windowMs = 3_600_000,
): SenderLimit | undefined {
  if (max <= 0) return undefined;
  return {
    async admit(channel, from) {
      const verdict = await limits.take({ name: `${channel}:messages-per-sender`, max, windowMs }, from);
      if (!verdict.allowed) throw new SenderOverLimit(max, windowMs);
    },
  };
}
