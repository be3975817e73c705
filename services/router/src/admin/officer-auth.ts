import { ForbiddenException, HttpException, HttpStatus, UnauthorizedException } from '@nestjs/common';
import {
  bearerToken,
  InvalidOfficerToken,
  verifyOfficerToken,
  type OfficerClaims,
  type OfficerRole,
} from '@aduan/platform';

/** Resolves the acting officer from the Authorization header, or answers 401/403/503. */
export async function requireOfficer(
  authorization: string | undefined,
  secret: string | undefined,
  roles: readonly OfficerRole[],
): Promise<OfficerClaims> {
  if (!secret) {
    throw new HttpException(
      {
        statusCode: 503,
        error: 'Service Unavailable',
        message: 'the rules admin API is disabled: set OFFICER_JWT_SECRET',
      },
      HttpStatus.SERVICE_UNAVAILABLE,
    );
  }
  const token = bearerToken(authorization);
  if (!token) throw new UnauthorizedException('an officer token is required (Authorization: Bearer …)');
  let officer: OfficerClaims;
  try {
    officer = await verifyOfficerToken(token, secret);
  } catch (err) {
    if (err instanceof InvalidOfficerToken)
      throw new UnauthorizedException(`the officer token is not valid: ${err.message}`);
    throw err;
  }
  if (!roles.includes(officer.role))
    throw new ForbiddenException(`this needs the role ${roles.join(' or ')}`);
  return officer;
}
