/**
 * Sign-in under limits (ADR 0056). Password guessing meets three walls, all counted in
 * PostgreSQL so every status instance shares them:
 *
 * - attempts per client IP: a burst from one address is refused with 429 before any work;
 * - failures per username: after `maxFailures` wrong passwords within `lockoutMs` of the first
 *   one the account is locked until that window ends (429 with Retry-After), whether the username exists or
 *   not, so a lockout tells nobody that an account exists;
 * - constant cost: scrypt (tens of milliseconds and 32 MiB each) runs only for an existing,
 *   unlocked account. An unknown or locked username costs no CPU, only a timer that waits as
 *   long as a real check takes here, so the answer's timing tells nothing either.
 */
import { enforceLimits, TooManyRequests, type Limit, type RateLimits } from '@aduan/channel-sdk';

export interface SignInLimitOptions {
  /** Sign-in attempts from one client IP per `attemptWindowMs`. 0: no limit. */
  attemptsPerIp: number;
  attemptWindowMs: number;
  /** Wrong passwords for one username before it is locked. */
  maxFailures: number;
  /** How long failures are counted, and so the longest lockout. */
  lockoutMs: number;
}

type Response = { setHeader(name: string, value: string): unknown };

/** Learns how long a real password check takes, and makes refusals that skip it take as long. */
export class ConstantCost {
  private estimateMs: number;

  constructor(initialMs: number) {
    this.estimateMs = initialMs;
  }

  /** Times a real check; the estimate follows the recent ones. */
  async measure<T>(work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.estimateMs = 0.8 * this.estimateMs + 0.2 * (performance.now() - started);
    }
  }

  /** Waits until `startedAt` + the estimate: the time a real check would have taken. */
  async padFrom(startedAt: number): Promise<void> {
    const left = startedAt + this.estimateMs - performance.now();
    if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
  }

  get expectedMs(): number {
    return this.estimateMs;
  }
}

export class SignInThrottle {
  private readonly perIp: Limit;
  private readonly failures: Limit;

  constructor(
    private readonly limits: RateLimits,
    opts: SignInLimitOptions,
    private readonly cost: ConstantCost,
  ) {
    // Both counted from the first attempt, not in clock-aligned windows: attempts timed either
    // side of a window's edge would otherwise get twice the allowance (ADR 0056, addendum).
    this.perIp = {
      name: 'status:sign-in-ip',
      max: opts.attemptsPerIp,
      windowMs: opts.attemptWindowMs,
      fromFirstHit: true,
    };
    this.failures = {
      name: 'status:sign-in-failures',
      max: opts.maxFailures,
      windowMs: opts.lockoutMs,
      fromFirstHit: true,
    };
  }

  /**
   * The account when `password` is right for it; null when the username is unknown or the
   * password wrong (the caller answers 401); TooManyRequests (429, Retry-After set) when the
   * client or the account is over its limit.
   */
  async verify<A extends { passwordHash: string }>(
    attempt: { username: string; clientIp: string | undefined; res: Response },
    find: () => Promise<A | null | undefined>,
    check: (account: A) => Promise<boolean>,
  ): Promise<A | null> {
    const startedAt = performance.now();
    await enforceLimits(this.limits, attempt.res, [{ limit: this.perIp, key: attempt.clientIp }]);
    const username = attempt.username.trim().toLowerCase();
    const locked = await this.limits.peek(this.failures, username);
    if (this.failures.max > 0 && locked.hits >= this.failures.max) {
      await this.cost.padFrom(startedAt);
      attempt.res.setHeader('Retry-After', String(locked.retryAfterSeconds));
      throw new TooManyRequests('account locked after too many wrong passwords', locked.retryAfterSeconds);
    }
    const account = await find();
    const ok = account ? await this.cost.measure(() => check(account)) : false;
    if (ok) {
      await this.limits.reset(this.failures, username);
      return account!;
    }
    await this.limits.take(this.failures, username);
    if (!account) await this.cost.padFrom(startedAt);
    return null;
  }
}
