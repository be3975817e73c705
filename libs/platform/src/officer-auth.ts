import { HttpException } from '@nestjs/common';
import type { Logger } from './logger';
import {
  bearerToken,
  InvalidOfficerToken,
  officerTokenVerifier,
  type OfficerClaims,
  type OfficerRole,
  type OfficerTokenVerifier,
} from './officer-token';

export type OfficerAuthFailure = 'disabled' | 'missing' | 'invalid' | 'forbidden';

const ANSWERS: Record<OfficerAuthFailure, [status: number, error: string]> = {
  // Without a key no token can be checked: the service is not ready for officers, the caller is not wrong.
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
 * The verifier of a service's officer settings (OFFICER_JWKS_URL, the migration OFFICER_JWT_SECRET);
 * says in the log while the deprecated secret is still accepted.
 */
export function officerVerifierFromSettings(
  config: { OFFICER_JWKS_URL?: string | undefined; OFFICER_JWT_SECRET?: string | undefined },
  logger?: Pick<Logger, 'warn'>,
): OfficerTokenVerifier | undefined {
  if (config.OFFICER_JWT_SECRET)
    logger?.warn(
      'OFFICER_JWT_SECRET is set: HS256 officer tokens anyone holding it can mint are still accepted (deprecated, ADR 0057); set OFFICER_JWKS_URL and unset it',
    );
  return officerTokenVerifier({ jwksUrl: config.OFFICER_JWKS_URL, hs256Secret: config.OFFICER_JWT_SECRET });
}

/**
 * The acting officer of a request to a service that accepts officer tokens (router, channel
 * officer, channel-media, WhatsApp pairing): the Bearer token of `authorization`, checked by
 * `keys` (a verifier, or an HS256 secret during the migration), of one of `allowedRoles`.
 * `action` names what the roles allow, for the refusals ("enter reports"). Only the signature
 * and expiry are checked here: a disabled officer's token stops working when it expires, at
 * most five minutes later (ADR 0057).
 */
export async function officerFromAuthorization(
  authorization: string | undefined,
  keys: OfficerTokenVerifier | string | undefined,
  allowedRoles: readonly OfficerRole[],
  action = 'use this API',
): Promise<OfficerClaims> {
  const verifier = typeof keys === 'string' ? officerTokenVerifier({ hs256Secret: keys }) : keys;
  if (!verifier) throw new OfficerAuthError('disabled', `cannot ${action}: OFFICER_JWKS_URL is not set`);
  const token = bearerToken(authorization);
  if (!token) throw new OfficerAuthError('missing', 'an officer token is required (Authorization: Bearer …)');
  let officer: OfficerClaims;
  try {
    officer = await verifier.verify(token);
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
