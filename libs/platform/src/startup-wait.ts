import { backoffDelay, sleep } from './backoff';
import type { Logger } from './logger';

export interface StartupWaitOptions {
  /** What the service waits for, as an operator reads it: "Kafka at 127.0.0.1:9092". */
  what: string;
  logger: Logger;
  /** How long to keep trying before the service gives up (STARTUP_WAIT_SECONDS). */
  timeoutMs: number;
  /** True for conditions that pass by themselves: a server still starting, a leader not elected yet. */
  isRetriable: (err: unknown) => boolean;
  /** What the operator should check when the wait is given up. */
  hint?: string;
  signal?: AbortSignal;
  baseMs?: number;
  maxMs?: number;
}

export class StartupGaveUp extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'StartupGaveUp';
  }
}

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Runs a start-up step until it succeeds. A dependency that is still coming up (a broker that
 * has not elected its leaders, a database that is starting) is waited for with backoff and
 * one log line per attempt; anything else fails at once. A service started together with its
 * dependencies therefore comes up instead of dying on its first try.
 */
export async function waitForStartup<T>(step: () => Promise<T>, opts: StartupWaitOptions): Promise<T> {
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (err) {
      if (!opts.isRetriable(err)) throw err;
      const elapsed = Date.now() - started;
      const delay = Math.min(
        backoffDelay(attempt, opts.baseMs ?? 250, opts.maxMs ?? 5_000),
        Math.max(0, opts.timeoutMs - elapsed),
      );
      if (elapsed >= opts.timeoutMs || opts.signal?.aborted) {
        const seconds = Math.round(opts.timeoutMs / 1000);
        throw new StartupGaveUp(
          `gave up waiting for ${opts.what} after ${seconds} s (${attempt} attempts): ${reason(err)}.` +
            ` ${opts.hint ?? 'Check that it runs and is reachable'}, or raise STARTUP_WAIT_SECONDS.`,
          { cause: err },
        );
      }
      opts.logger.warn(`waiting for ${opts.what}`, {
        reason: reason(err),
        attempt,
        retryInMs: delay,
        waitedMs: elapsed,
      });
      await sleep(delay, opts.signal);
    }
  }
}
