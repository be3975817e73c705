import { officerFromAuthorization, type OfficerClaims, type OfficerRole } from '@aduan/platform';

/** Resolves the acting officer from the Authorization header, or answers 401/403/503. */
export function requireOfficer(
  authorization: string | undefined,
  secret: string | undefined,
  roles: readonly OfficerRole[],
): Promise<OfficerClaims> {
  return officerFromAuthorization(authorization, secret, roles, 'use the rules admin API');
}
