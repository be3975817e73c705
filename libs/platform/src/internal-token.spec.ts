import { generateKeyPairSync } from 'node:crypto';
import { exportJWK, SignJWT } from 'jose';
import { internalTokenVerifier, signInternalToken, InvalidInternalToken } from './internal-token';
import { OFFICER_TOKEN_ISSUER } from './officer-token';

describe('internal tokens (status service → channel adapter)', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const key = { kid: 'k1', privateKey, alg: 'EdDSA' };
  const ref = 'rp_AbCdEfGhIjKlMnOpQrStUv';
  let verifier: ReturnType<typeof internalTokenVerifier>;

  beforeAll(async () => {
    verifier = internalTokenVerifier({
      jwks: { keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'EdDSA' }] },
    });
  });

  it('verify for their scope and subject only', async () => {
    const token = await signInternalToken(key, 'reporter:reveal', ref);
    await expect(verifier.verify(token, 'reporter:reveal', ref)).resolves.toBeUndefined();
    await expect(verifier.verify(token, 'reporter:reveal', `${ref}x`)).rejects.toThrow(InvalidInternalToken);
  });

  it('refuse an expired token, one of another key, and an officer token', async () => {
    const old = await signInternalToken(key, 'reporter:reveal', ref, new Date(Date.now() - 120_000));
    await expect(verifier.verify(old, 'reporter:reveal', ref)).rejects.toThrow(InvalidInternalToken);
    const stranger = generateKeyPairSync('ed25519').privateKey;
    const forged = await signInternalToken({ ...key, privateKey: stranger }, 'reporter:reveal', ref);
    await expect(verifier.verify(forged, 'reporter:reveal', ref)).rejects.toThrow(InvalidInternalToken);
    const officer = await new SignJWT({ role: 'admin', scope: 'reporter:reveal' })
      .setProtectedHeader({ alg: 'EdDSA', kid: 'k1' })
      .setIssuer(OFFICER_TOKEN_ISSUER)
      .setSubject(ref)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
    await expect(verifier.verify(officer, 'reporter:reveal', ref)).rejects.toThrow(/aud/);
  });
});
