import { ContractViolation, MalformedEnvelope } from '@aduan/contracts';

/**
 * Handlers only say what kind of failure they hit; the consumer runner owns the policy.
 * Permanent: retrying can never help (bad payload, a rule that refuses it) → dead-letter now.
 * Transient: anything else (database restarting, broker leader moving) → retry with backoff.
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

export function classifyFailure(err: unknown): { kind: FailureKind; code: string; message: string } {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof PermanentError) return { kind: 'permanent', code: err.code, message };
  if (err instanceof ContractViolation) return { kind: 'permanent', code: err.code, message };
  if (err instanceof MalformedEnvelope) return { kind: 'permanent', code: err.code, message };
  if (err instanceof SyntaxError) return { kind: 'permanent', code: 'MALFORMED_JSON', message };
  return { kind: 'transient', code: 'HANDLER_FAILED', message };
}
