import { HttpException } from '@nestjs/common';
import {
  bearerToken,
  InvalidOfficerToken,
  verifyOfficerToken,
  type OfficerClaims,
  type OfficerRole,
} from './officer-token';

export type OfficerAuthFailure = 'disabled' | 'missing' | 'invalid' | 'forbidden';

const ANSWERS: Record<OfficerAuthFailure, [status: number, error: string]> = {
  // Without a secret no token can be checked: the service is not ready for officers, the caller is not wrong.
  disabled: [503, 'Service Unavailable'],
  missing: [401, 'Unauthorized'],
  invalid: [401, 'Unauthorized'],
  forbidden: [403, 'Forbidden'],
};

/** Why a request has no acting officer; an HTTP error, so every service answers it alike. */
export class OfficerAuthError extends HttpException {
  constructor(
    readonly reason: OfficerAuthFailure,
    message: string,
  ) {
    const [statusCode, error] = ANSWERS[reason];
    super({ statusCode, error, message }, statusCode);
    this.name = 'OfficerAuthError';
  }
}

/**
 * The acting officer of a request to a service that accepts officer tokens (router, channel
 * officer): the Bearer token of `authorization`, verified with `secret`, of one of `allowedRoles`.
 * `action` names what the roles allow, for the refusals ("enter reports").
 */
export async function officerFromAuthorization(
  authorization: string | undefined,
  secret: string | undefined,
  allowedRoles: readonly OfficerRole[],
  action = 'use this API',
): Promise<OfficerClaims> {
  if (!secret) throw new OfficerAuthError('disabled', `cannot ${action}: OFFICER_JWT_SECRET is not set`);
  const token = bearerToken(authorization);
  if (!token) throw new OfficerAuthError('missing', 'an officer token is required (Authorization: Bearer …)');
  let officer: OfficerClaims;
  try {
    officer = await verifyOfficerToken(token, secret);
  } catch (err) {
    if (err instanceof InvalidOfficerToken)
      throw new OfficerAuthError('invalid', `the officer token is not valid: ${err.message}`);
    throw err;
  }
  if (!allowedRoles.includes(officer.role))
    throw new OfficerAuthError(
      'forbidden',
      `role ${officer.role} may not ${action}; ${allowedRoles.join(' or ')} may`,
    );
  return officer;
}
