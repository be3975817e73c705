import { ContractViolation, MalformedEnvelope } from '@aduan/contracts';

/**
 * Handlers only say what kind of failure they hit; the consumer runner owns the policy.
 * Permanent: retrying can never help (bad payload, a rule that refuses it) → dead-letter now.
 * Transient: anything else (database restarting, broker leader moving, a provider's 5xx) →
 * retried for as long as it lasts, with the partition paused (ADR 0052).
 */
export class PermanentError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'PermanentError';
    this.code = code;
  }
}

export type FailureKind = 'permanent' | 'transient';

export interface Failure {
  kind: FailureKind;
  /** Short and free of personal data: it is shown on readiness and in metrics' labels. */
  code: string;
  message: string;
}

/**
 * PostgreSQL refusals that the same bytes meet every time: class 22 (data exception: a NUL
 * byte, an invalid encoding, a value out of range) and the not-null and check constraints.
 * Everything else it says (connection lost, shutting down, deadlock, serialization, a unique
 * key another instance wrote a moment ago) passes with time or with a retry.
 */
const PG_PERMANENT_CLASSES = new Set(['22']);
const PG_PERMANENT_CODES = new Set(['23502', '23514']);

function sqlState(err: unknown): string | undefined {
  if (!err || typeof err !== 'object') return undefined;
  const e = err as { code?: unknown; severity?: unknown; routine?: unknown; driverError?: unknown };
  // TypeORM's QueryFailedError carries the driver's error underneath.
  if (e.driverError) return sqlState(e.driverError);
  const fromServer = typeof e.severity === 'string' || typeof e.routine === 'string';
  return fromServer && typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) ? e.code : undefined;
}

function networkCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^E[A-Z_]{3,30}$/.test(code) ? code : undefined;
}

export function classifyFailure(err: unknown): Failure {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof PermanentError) return { kind: 'permanent', code: err.code, message };
  if (err instanceof ContractViolation) return { kind: 'permanent', code: err.code, message };
  if (err instanceof MalformedEnvelope) return { kind: 'permanent', code: err.code, message };
  if (err instanceof SyntaxError) return { kind: 'permanent', code: 'MALFORMED_JSON', message };
  const state = sqlState(err);
  if (state) {
    const permanent = PG_PERMANENT_CLASSES.has(state.slice(0, 2)) || PG_PERMANENT_CODES.has(state);
    return { kind: permanent ? 'permanent' : 'transient', code: `PG_${state}`, message };
  }
  return { kind: 'transient', code: networkCode(err) ?? 'HANDLER_FAILED', message };
}
