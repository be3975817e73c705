import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type KeyLike } from 'jose';
import {
  InvalidOfficerToken,
  officerTokenVerifier,
  signOfficerToken,
  verifyOfficerToken,
} from './officer-token';

const SECRET = 'test-secret-of-at-least-32-bytes!!';

describe('officer tokens', () => {
  it('round-trips the claims other services rely on', async () => {
    const token = await signOfficerToken({ sub: 'u1', role: 'unit_officer', unit: 'DBM' }, SECRET);
    await expect(verifyOfficerToken(token, SECRET)).resolves.toEqual({
      sub: 'u1',
      role: 'unit_officer',
      unit: 'DBM',
    });
  });

  it('refuses forged, expired and role-less tokens', async () => {
    const forged = await signOfficerToken({ sub: 'u1', role: 'admin' }, 'another-secret-another-secret-!!');
    await expect(verifyOfficerToken(forged, SECRET)).rejects.toBeInstanceOf(InvalidOfficerToken);
    const expired = await signOfficerToken({ sub: 'u1', role: 'admin' }, SECRET, -10);
    await expect(verifyOfficerToken(expired, SECRET)).rejects.toThrow(/exp/);
    const noRole = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u1')
      .setIssuer('aduan-status')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(SECRET));
    await expect(verifyOfficerToken(noRole, SECRET)).rejects.toThrow(/no valid role/);
  });
});

describe('officer tokens signed by the status service (ADR 0057)', () => {
  async function issuer() {
    const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'EdDSA', use: 'sig' };
    const sign = (claims: Record<string, unknown>, key: KeyLike = privateKey) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'EdDSA', kid: 'k1' })
        .setSubject('u1')
        .setIssuer('aduan-status')
        .setExpirationTime('5m')
        .sign(key);
    return { jwks: { keys: [jwk] }, sign };
  }

  it('verifies with the public key set and refuses a token signed by another key', async () => {
    const { jwks, sign } = await issuer();
    const verifier = officerTokenVerifier({ jwks })!;
    await expect(verifier.verify(await sign({ role: 'admin' }))).resolves.toEqual({
      sub: 'u1',
      role: 'admin',
    });
    const other = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    await expect(verifier.verify(await sign({ role: 'admin' }, other.privateKey))).rejects.toBeInstanceOf(
      InvalidOfficerToken,
    );
  });

  it('refuses an HS256 token where only public keys are configured, whatever its secret', async () => {
    const { jwks } = await issuer();
    const hs = await signOfficerToken({ sub: 'u1', role: 'admin' }, SECRET);
    await expect(officerTokenVerifier({ jwks })!.verify(hs)).rejects.toThrow(/HS256 are not accepted/);
    // and the migration secret, when set, keeps such tokens working beside the key set
    await expect(officerTokenVerifier({ jwks, hs256Secret: SECRET })!.verify(hs)).resolves.toMatchObject({
      role: 'admin',
    });
  });

  it('fetches the key set from a JWKS URL, once for many tokens', async () => {
    const { jwks, sign } = await issuer();
    let fetches = 0;
    const server = createServer((_req, res) => {
      fetches++;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(jwks));
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    try {
      const { port } = server.address() as AddressInfo;
      const verifier = officerTokenVerifier({ jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json` })!;
      for (let i = 0; i < 3; i++)
        await expect(verifier.verify(await sign({ role: 'validator' }))).resolves.toMatchObject({
          role: 'validator',
        });
      expect(fetches).toBe(1);
    } finally {
      server.close();
    }
  });

  it('has no verifier without a key', () => {
    expect(officerTokenVerifier({})).toBeUndefined();
  });
});
