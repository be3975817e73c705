import type { KeyObject } from 'node:crypto';
import { createLocalJWKSet, createRemoteJWKSet, jwtVerify, SignJWT, type JSONWebKeySet } from 'jose';
import { OFFICER_SIGNING_ALGORITHMS, OFFICER_TOKEN_ISSUER } from './officer-token';

/**
 * Service-to-service calls the status service makes to a channel adapter (ADR 0058): a token it
 * signs with its officer signing key (ADR 0057) for one audience, one scope and one subject,
 * living a minute. An officer token (no audience, no scope) is never one of these, nor the reverse.
 */
export const CHANNEL_INTERNAL_AUDIENCE = 'aduan-channel-internal';
export const INTERNAL_TOKEN_TTL_SECONDS = 60;

export type InternalScope = 'reporter:reveal';

export class InvalidInternalToken extends Error {}

export async function signInternalToken(
  key: { kid: string; privateKey: KeyObject; alg: string },
  scope: InternalScope,
  subject: string,
  now: Date = new Date(),
): Promise<string> {
  const iat = Math.floor(now.getTime() / 1000);
  return new SignJWT({ scope })
    .setProtectedHeader({ alg: key.alg, typ: 'JWT', kid: key.kid })
    .setIssuer(OFFICER_TOKEN_ISSUER)
    .setAudience(CHANNEL_INTERNAL_AUDIENCE)
    .setSubject(subject)
    .setIssuedAt(iat)
    .setExpirationTime(iat + INTERNAL_TOKEN_TTL_SECONDS)
    .sign(key.privateKey);
}

export interface InternalTokenVerifier {
  /** Resolves when the token is the status service's, for this scope and this subject; else throws InvalidInternalToken. */
  verify(token: string, scope: InternalScope, subject: string): Promise<void>;
}

/** Verifies internal tokens with the status service's public keys (its JWKS, cached as for officer tokens). */
export function internalTokenVerifier(
  source: { jwksUrl: string } | { jwks: JSONWebKeySet },
): InternalTokenVerifier {
  const keySet =
    'jwks' in source
      ? createLocalJWKSet(source.jwks)
      : createRemoteJWKSet(new URL(source.jwksUrl), { cacheMaxAge: 10 * 60_000, cooldownDuration: 30_000 });
  return {
    async verify(token, scope, subject) {
      let payload;
      try {
        ({ payload } = await jwtVerify(token, keySet, {
          issuer: OFFICER_TOKEN_ISSUER,
          audience: CHANNEL_INTERNAL_AUDIENCE,
          algorithms: [...OFFICER_SIGNING_ALGORITHMS],
          requiredClaims: ['sub', 'exp', 'iat'],
          // A minute is what the signer gives; a longer-lived token was not made by it.
          maxTokenAge: `${INTERNAL_TOKEN_TTL_SECONDS + 5}s`,
        }));
      } catch (err) {
        throw new InvalidInternalToken(err instanceof Error ? err.message : 'token is not valid');
      }
      if (payload['scope'] !== scope) throw new InvalidInternalToken(`token is not for ${scope}`);
      if (payload.sub !== subject) throw new InvalidInternalToken('token is for another subject');
    },
  };
}
