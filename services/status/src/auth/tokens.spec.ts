import { generateKeyPairSync } from 'node:crypto';
import { officerTokenVerifier, signOfficerToken } from '@aduan/platform';
import { calculateJwkThumbprint, exportJWK, SignJWT } from 'jose';
import type { SigningKeys } from './signing-key';
import { InvalidTokenError, LocalTokens } from './tokens';

async function newKeys(): Promise<SigningKeys> {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  return { kid, privateKey, publicJwks: [{ ...jwk, kid, alg: 'EdDSA', use: 'sig' }] };
}

describe('officer access tokens', () => {
  let now = new Date('2026-01-05T03:00:00Z');
  let keys: SigningKeys;
  let tokens: LocalTokens;
  beforeAll(async () => {
    keys = await newKeys();
    tokens = new LocalTokens(keys, () => now);
  });

  it('carry sub, role, unit, the session and a 5-minute expiry, signed EdDSA with a key id', async () => {
    const { token, expiresAt } = await tokens.issue({
      id: 'u1',
      role: 'unit_officer',
      unit: 'DSDA',
      sessionId: 's1',
    });
    expect(expiresAt.toISOString()).toBe('2026-01-05T03:05:00.000Z');
    const [header, claims] = token
      .split('.')
      .slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()) as Record<string, unknown>);
    expect(header).toMatchObject({ alg: 'EdDSA', kid: keys.kid });
    expect(claims).toMatchObject({
      sub: 'u1',
      role: 'unit_officer',
      unit: 'DSDA',
      sid: 's1',
      exp: Date.parse('2026-01-05T03:05:00Z') / 1000,
    });
    expect(await tokens.verify(token)).toEqual({
      id: 'u1',
      role: 'unit_officer',
      unit: 'DSDA',
      sessionId: 's1',
    });
  });

  it('are accepted by the verifier the other services use, with the public keys only', async () => {
    const real = new LocalTokens(keys);
    const { token } = await real.issue({ id: 'u2', role: 'crm_officer', unit: null, sessionId: 's2' });
    await expect(officerTokenVerifier({ jwks: real.jwks })!.verify(token)).resolves.toEqual({
      sub: 'u2',
      role: 'crm_officer',
    });
    expect(JSON.stringify(real.jwks)).not.toMatch(/"d":/);
  });

  it('refuses an expired, forged, HS256, unsigned or role-less token', async () => {
    const { token } = await tokens.issue({ id: 'u1', role: 'admin', unit: null, sessionId: 's1' });
    now = new Date('2026-01-05T03:06:00Z');
    await expect(tokens.verify(token)).rejects.toThrow(/expired/);
    now = new Date('2026-01-05T03:00:00Z');
    const other = await newKeys();
    const { token: forged } = await new LocalTokens(other, () => now).issue({
      id: 'u1',
      role: 'admin',
      unit: null,
      sessionId: 's1',
    });
    await expect(tokens.verify(forged)).rejects.toThrow(InvalidTokenError);
    const hs256 = await signOfficerToken({ sub: 'u1', role: 'admin' }, 'y'.repeat(40));
    await expect(tokens.verify(hs256)).rejects.toThrow(InvalidTokenError);
    const [h, p] = token.split('.');
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${p}.`;
    await expect(tokens.verify(none)).rejects.toThrow(InvalidTokenError);
    await expect(tokens.verify(`${h}.${p}.`)).rejects.toThrow(InvalidTokenError);
    const noRole = await new SignJWT({ sid: 's1' })
      .setProtectedHeader({ alg: 'EdDSA' })
      .setIssuer('aduan-status')
      .setSubject('u1')
      .setExpirationTime('5m')
      .sign(keys.privateKey);
    await expect(tokens.verify(noRole)).rejects.toThrow(/role/);
  });
});
