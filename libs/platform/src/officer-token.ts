import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeProtectedHeader,
  jwtVerify,
  SignJWT,
  type JSONWebKeySet,
  type JWTPayload,
} from 'jose';

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

export const OFFICER_TOKEN_ISSUER = 'aduan-status';
/** The algorithms the status service signs with (ADR 0057); HS256 only through a migration secret. */
export const OFFICER_SIGNING_ALGORITHMS = ['EdDSA', 'ES256'] as const;

/** Checks an officer access token's signature, issuer, expiry and claims; nothing else. */
export interface OfficerTokenVerifier {
  verify(token: string): Promise<OfficerClaims>;
}

export interface OfficerKeySources {
  /** The status service's JWKS (…/.well-known/jwks.json): EdDSA/ES256 tokens, keys cached. */
  jwksUrl?: string | undefined;
  /** A public key set given directly (tests, or a pinned key). */
  jwks?: JSONWebKeySet | undefined;
  /** Deprecated shared HS256 secret, accepted only while a deployment migrates (ADR 0057). */
  hs256Secret?: string | undefined;
  /** The time expiry is judged at; tests that move a service's clock pass theirs. */
  now?: () => Date;
}

function claimsOf(payload: JWTPayload): OfficerClaims {
  const role = payload['role'];
  if (typeof role !== 'string' || !(OFFICER_ROLES as readonly string[]).includes(role)) {
    throw new InvalidOfficerToken('token carries no valid role');
  }
  const unit = payload['unit'];
  return { sub: payload.sub!, role: role as OfficerRole, ...(typeof unit === 'string' ? { unit } : {}) };
}

function asInvalid(err: unknown): InvalidOfficerToken {
  if (err instanceof InvalidOfficerToken) return err;
  return new InvalidOfficerToken(err instanceof Error ? err.message : 'token is not valid');
}

/**
 * The verifier a service builds from its settings, or undefined when it has no way to check a
 * token (the officer API then answers 503). The algorithm named in the token's header picks the
 * key: a token claiming HS256 is never checked against a public key, nor the reverse.
 */
export function officerTokenVerifier(sources: OfficerKeySources): OfficerTokenVerifier | undefined {
  const keySet = sources.jwks
    ? createLocalJWKSet(sources.jwks)
    : sources.jwksUrl
      ? // A key unknown to the cache triggers one refetch at most every 30 s, so a rotated key is
        // picked up quickly and a stream of forged kids cannot hammer the status service.
        createRemoteJWKSet(new URL(sources.jwksUrl), { cacheMaxAge: 10 * 60_000, cooldownDuration: 30_000 })
      : undefined;
  const secret = sources.hs256Secret ? new TextEncoder().encode(sources.hs256Secret) : undefined;
  if (!keySet && !secret) return undefined;
  return {
    async verify(token: string): Promise<OfficerClaims> {
      try {
        const { alg } = decodeProtectedHeader(token);
        const common = {
          issuer: OFFICER_TOKEN_ISSUER,
          requiredClaims: ['sub', 'exp'],
          ...(sources.now ? { currentDate: sources.now() } : {}),
        };
        if (alg === 'HS256' && secret) {
          return claimsOf((await jwtVerify(token, secret, { ...common, algorithms: ['HS256'] })).payload);
        }
        if (keySet && (OFFICER_SIGNING_ALGORITHMS as readonly string[]).includes(alg ?? '')) {
          const algorithms = [...OFFICER_SIGNING_ALGORITHMS];
          return claimsOf((await jwtVerify(token, keySet, { ...common, algorithms })).payload);
        }
        throw new InvalidOfficerToken(`tokens signed with ${alg ?? 'no algorithm'} are not accepted here`);
      } catch (err) {
        throw asInvalid(err);
      }
    },
  };
}

/**
 * Verifies an HS256 officer token with the shared secret: the scheme before ADR 0057, kept for
 * the migration period and for tests that sign their own tokens.
 */
export async function verifyOfficerToken(token: string, secret: string): Promise<OfficerClaims> {
  return officerTokenVerifier({ hs256Secret: secret })!.verify(token);
}

export async function signOfficerToken(
  claims: OfficerClaims,
  secret: string,
  ttlSeconds = 900,
): Promise<string> {
  return new SignJWT({ role: claims.role, ...(claims.unit ? { unit: claims.unit } : {}) })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.sub)
    .setIssuer(OFFICER_TOKEN_ISSUER)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
    .sign(new TextEncoder().encode(secret));
}

export function bearerToken(authorization: string | undefined): string | undefined {
  return authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
}
