import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, type JWK } from 'jose';
import type { DataSource } from 'typeorm';

/** The key officer access tokens are signed with, and the public keys they are verified with. */
export interface SigningKeys {
  kid: string;
  privateKey: KeyObject;
  /** Every public key a token still in circulation may have been signed with (the JWKS). */
  publicJwks: JWK[];
}

export const SIGNING_ALG = 'EdDSA';

/** A PEM from an environment variable may carry its newlines as `\n`. */
function privateKeyFrom(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem.replace(/\\n/g, '\n'));
  } catch {
    throw new Error('OFFICER_SIGNING_KEY is not a PKCS#8 PEM private key');
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new Error(`OFFICER_SIGNING_KEY must be an Ed25519 key, not ${key.asymmetricKeyType ?? 'unknown'}`);
  return key;
}

async function publicJwkOf(key: KeyObject): Promise<{ kid: string; jwk: JWK }> {
  const jwk = await exportJWK(createPublicKey(key));
  const kid = await calculateJwkThumbprint(jwk);
  return { kid, jwk: { ...jwk, kid, alg: SIGNING_ALG, use: 'sig' } };
}

/**
 * The configured key (OFFICER_SIGNING_KEY), or the one kept in the database, generated on the
 * first start: an advisory lock makes two instances starting together agree on one key.
 */
export async function loadSigningKeys(
  db: DataSource,
  configuredPem: string | undefined,
): Promise<SigningKeys> {
  const stored = await db.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('officer-signing-key'))`);
    const rows = (await tx.query(
      'SELECT kid, private_pem, public_jwk FROM officer_signing_key ORDER BY created_at DESC',
    )) as Array<{ kid: string; private_pem: string; public_jwk: JWK }>;
    if (rows.length || configuredPem) return rows;
    const { privateKey } = generateKeyPairSync('ed25519');
    const { kid, jwk } = await publicJwkOf(privateKey);
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    await tx.query('INSERT INTO officer_signing_key (kid, private_pem, public_jwk) VALUES ($1, $2, $3)', [
      kid,
      pem,
      JSON.stringify(jwk),
    ]);
    return [{ kid, private_pem: pem, public_jwk: jwk }];
  });
  const storedJwks = stored.map((r) => r.public_jwk);
  if (configuredPem) {
    const privateKey = privateKeyFrom(configuredPem);
    const { kid, jwk } = await publicJwkOf(privateKey);
    // Keys kept in the database still verify the tokens they signed before the setting was made.
    return { kid, privateKey, publicJwks: [jwk, ...storedJwks.filter((k) => k.kid !== kid)] };
  }
  const [current] = stored;
  return { kid: current!.kid, privateKey: createPrivateKey(current!.private_pem), publicJwks: storedJwks };
}
