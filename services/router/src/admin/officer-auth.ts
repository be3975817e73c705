import {
  officerFromAuthorization,
  type OfficerClaims,
  type OfficerRole,
  type OfficerTokenVerifier,
} from '@aduan/platform';

/** Resolves the acting officer from the Authorization header, or answers 401/403/503. */
export function requireOfficer(
  authorization: string | undefined,
  keys: OfficerTokenVerifier | undefined,
  roles: readonly OfficerRole[],
): Promise<OfficerClaims> {
  return officerFromAuthorization(authorization, keys, roles, 'use the rules admin API');
}
