import { jwtVerify, SignJWT } from 'jose';

export const OFFICER_ROLES = ['admin', 'crm_officer', 'unit_officer', 'validator'] as const;
export type OfficerRole = (typeof OFFICER_ROLES)[number];

/** Who is acting, as every service that accepts officer tokens reads it. */
export interface OfficerClaims {
  sub: string;
  role: OfficerRole;
  /** OPD code, Suku Dinas code or kelurahan code the officer belongs to. */
  unit?: string;
}

export class InvalidOfficerToken extends Error {}

const ISSUER = 'aduan-status';

/**
 * Officer tokens are short-lived HS256 JWTs issued by the status service; other services
 * verify them with the same secret. The claims are a contract: sub, role, unit, exp.
 */
export async function verifyOfficerToken(token: string, secret: string): Promise<OfficerClaims> {
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), {
      issuer: ISSUER,
      algorithms: ['HS256'],
      requiredClaims: ['sub', 'exp'],
    });
    const role = payload['role'];
    if (typeof role !== 'string' || !(OFFICER_ROLES as readonly string[]).includes(role)) {
      throw new InvalidOfficerToken('token carries no valid role');
    }
    const unit = payload['unit'];
    return { sub: payload.sub!, role: role as OfficerRole, ...(typeof unit === 'string' ? { unit } : {}) };
  } catch (err) {
    if (err instanceof InvalidOfficerToken) throw err;
    throw new InvalidOfficerToken(err instanceof Error ? err.message : 'token is not valid');
  }
}

export async function signOfficerToken(
  claims: OfficerClaims,
  secret: string,
  ttlSeconds = 900,
): Promise<string> {
  return new SignJWT({ role: claims.role, ...(claims.unit ? { unit: claims.unit } : {}) })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.sub)
    .setIssuer(ISSUER)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
    .sign(new TextEncoder().encode(secret));
}

export function bearerToken(authorization: string | undefined): string | undefined {
  return authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
}
