import { jwtVerify, SignJWT, errors as joseErrors } from 'jose';
import { ROLES, type Role } from '../lifecycle/state-machine';

export const TOKEN_TTL_SECONDS = 15 * 60;

/** Who is calling, as every officer endpoint sees it, whatever issued the token. */
export interface OfficerPrincipal {
  id: string;
  role: Role;
  unit: string | null;
}

/**
 * The seam for single sign-on: today our own HS256 tokens; an external OIDC provider would be
 * another implementation that checks its JWKS and maps its claims onto the same principal
 * (ADR 0031). Other services (channel-officer, the router's rules admin) verify the same HS256
 * tokens with verifyOfficerToken, so the claim names (iss, sub, role, unit, exp) are a contract.
 */
export interface TokenVerifier {
  verify(token: string): Promise<OfficerPrincipal>;
}

export class InvalidTokenError extends Error {}

const ALG = 'HS256';
/** Every service verifies the issuer (see verifyOfficerToken in @aduan/platform). */
export const ISSUER = 'aduan-status';

export class LocalTokens implements TokenVerifier {
  private readonly key: Uint8Array;

  constructor(
    secret: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    if (secret.length < 32) throw new Error('OFFICER_JWT_SECRET must be at least 32 characters');
    this.key = new TextEncoder().encode(secret);
  }

  async issue(p: OfficerPrincipal): Promise<{ token: string; expiresAt: Date }> {
    const iat = Math.floor(this.now().getTime() / 1000);
    const exp = iat + TOKEN_TTL_SECONDS;
    const token = await new SignJWT({ role: p.role, ...(p.unit ? { unit: p.unit } : {}) })
      .setProtectedHeader({ alg: ALG, typ: 'JWT' })
      .setSubject(p.id)
      .setIssuer(ISSUER)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(this.key);
    return { token, expiresAt: new Date(exp * 1000) };
  }

  async verify(token: string): Promise<OfficerPrincipal> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: [ALG],
        issuer: ISSUER,
        currentDate: this.now(),
        requiredClaims: ['sub', 'exp'],
      });
      const role = payload['role'];
      const unit = payload['unit'];
      if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role))
        throw new InvalidTokenError('token has no valid role');
      if (unit !== undefined && typeof unit !== 'string')
        throw new InvalidTokenError('token unit is not a string');
      return { id: payload.sub!, role: role as Role, unit: unit ?? null };
    } catch (err) {
      if (err instanceof InvalidTokenError) throw err;
      if (err instanceof joseErrors.JWTExpired) throw new InvalidTokenError('token expired');
      throw new InvalidTokenError('token is not valid');
    }
  }
}
