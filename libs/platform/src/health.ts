import { withTimeout } from './backoff';

export type HealthCheck = () => Promise<void> | void;

export interface HealthReport {
  status: 'ok' | 'unavailable';
  checks: Record<string, { status: 'ok' | 'failing'; error?: string }>;
}

/**
 * Components register what "ready" means for them (Kafka connected, database answering);
 * `/health/ready` runs every check with a deadline so a hung dependency reads as not ready.
 */
export class HealthRegistry {
  private readonly checks = new Map<string, HealthCheck>();

  register(name: string, check: HealthCheck): void {
    this.checks.set(name, check);
  }

  async report(timeoutMs = 2000): Promise<HealthReport> {
    const entries = await Promise.all(
      [...this.checks].map(async ([name, check]) => {
        try {
          await withTimeout(
            Promise.resolve(check()),
            timeoutMs,
            `${name} did not answer within ${timeoutMs} ms`,
          );
          return [name, { status: 'ok' as const }] as const;
        } catch (err) {
          return [
            name,
            { status: 'failing' as const, error: err instanceof Error ? err.message : String(err) },
          ] as const;
        }
      }),
    );
    const checks = Object.fromEntries(entries);
    const ok = entries.every(([, r]) => r.status === 'ok');
    return { status: ok ? 'ok' : 'unavailable', checks };
  }
}
