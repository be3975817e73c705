import { createPublicKey } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { OFFICER_TOKEN_ISSUER } from '@aduan/platform';
import { ROLES, type Role } from '../lifecycle/state-machine';
import { SIGNING_ALG, type SigningKeys } from './signing-key';

/**
 * Access tokens live five minutes: the other services check only their signature, so this is
 * how long a disabled officer's token can still work there (ADR 0057). The status service itself
 * checks the session on every request.
 */
export const TOKEN_TTL_SECONDS = 5 * 60;

/** Who is calling, as every officer endpoint sees it, whatever issued the token. */
export interface OfficerPrincipal {
  id: string;
  role: Role;
  unit: string | null;
  /** The sign-in this token belongs to; revoked by sign-out, disabling or a reused refresh token. */
  sessionId?: string;
}

/**
 * The seam for single sign-on: today our own EdDSA tokens; an external OIDC provider would be
 * another implementation that checks its JWKS and maps its claims onto the same principal
 * (ADR 0031). Other services verify the same tokens with the public keys of our JWKS
 * (officerTokenVerifier in @aduan/platform), so the claim names (iss, sub, role, unit, sid, exp)
 * are a contract.
 */
export interface TokenVerifier {
  verify(token: string): Promise<OfficerPrincipal>;
}

export class InvalidTokenError extends Error {}

export const ISSUER = OFFICER_TOKEN_ISSUER;

export class LocalTokens implements TokenVerifier {
  private readonly publicKey;

  constructor(
    private readonly keys: SigningKeys,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.publicKey = createPublicKey(keys.privateKey);
  }

  /** The public keys, as GET /.well-known/jwks.json serves them. */
  get jwks() {
    return { keys: this.keys.publicJwks };
  }

  async issue(p: OfficerPrincipal & { sessionId: string }): Promise<{ token: string; expiresAt: Date }> {
    const iat = Math.floor(this.now().getTime() / 1000);
    const exp = iat + TOKEN_TTL_SECONDS;
    const token = await new SignJWT({ role: p.role, ...(p.unit ? { unit: p.unit } : {}), sid: p.sessionId })
      .setProtectedHeader({ alg: SIGNING_ALG, typ: 'JWT', kid: this.keys.kid })
      .setSubject(p.id)
      .setIssuer(ISSUER)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(this.keys.privateKey);
    return { token, expiresAt: new Date(exp * 1000) };
  }

  async verify(token: string): Promise<OfficerPrincipal> {
    try {
      const { payload } = await jwtVerify(token, this.publicKey, {
        algorithms: [SIGNING_ALG],
        issuer: ISSUER,
        currentDate: this.now(),
        requiredClaims: ['sub', 'exp', 'sid'],
      });
      const role = payload['role'];
      const unit = payload['unit'];
      const sid = payload['sid'];
      if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role))
        throw new InvalidTokenError('token has no valid role');
      if (unit !== undefined && typeof unit !== 'string')
        throw new InvalidTokenError('token unit is not a string');
      if (typeof sid !== 'string') throw new InvalidTokenError('token names no session');
      return { id: payload.sub!, role: role as Role, unit: unit ?? null, sessionId: sid };
    } catch (err) {
      if (err instanceof InvalidTokenError) throw err;
      if (err instanceof joseErrors.JWTExpired) throw new InvalidTokenError('token expired');
      throw new InvalidTokenError('token is not valid');
    }
  }
}
