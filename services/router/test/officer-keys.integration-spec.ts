import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signOfficerToken } from '@aduan/platform';
import {
  capturedLogger,
  createTestDatabase,
  testEnv,
  uniqueTopicPrefix,
  type TestDatabase,
} from '@aduan/testing';
import { exportJWK, SignJWT } from 'jose';
import { startRouter, type RouterService } from '../src/app';

/**
 * The router verifies officer tokens with the public keys the status service publishes
 * (OFFICER_JWKS_URL, ADR 0057). A local server publishes a key pair's public half the way the
 * status service does, so the test holds the private half and can sign as status would.
 */
describe('router officer tokens verified with the JWKS of the status service', () => {
  const { logger } = capturedLogger('router');
  const status = generateKeyPairSync('ed25519');
  let jwksRequests = 0;
  let jwksServer: Server;
  let database: TestDatabase;
  let router: RouterService;
  let base: string;

  const sign = (key: KeyObject, role = 'admin') =>
    new SignJWT({ role, sid: 'session-1' })
      .setProtectedHeader({ alg: 'EdDSA', kid: 'status-key-1' })
      .setIssuer('aduan-status')
      .setSubject('admin-1')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(key);
  const rules = async (token: string) =>
    fetch(`${base}/v1/admin/rules`, { headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    const jwk = { ...(await exportJWK(status.publicKey)), kid: 'status-key-1', alg: 'EdDSA', use: 'sig' };
    jwksServer = createServer((req, res) => {
      jwksRequests++;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: req.url === '/.well-known/jwks.json' ? [jwk] : [] }));
    });
    await new Promise<void>((ok) => jwksServer.listen(0, '127.0.0.1', ok));
    const { port } = jwksServer.address() as AddressInfo;
    database = await createTestDatabase('router_keys');
    router = await startRouter(
      {
        ROUTER_PORT: '0',
        DATABASE_URL: database.url,
        KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
        KAFKA_TOPIC_PREFIX: uniqueTopicPrefix(),
        OFFICER_JWKS_URL: `http://127.0.0.1:${port}/.well-known/jwks.json`,
      },
      logger,
    );
    base = `http://127.0.0.1:${router.port}`;
  });

  afterAll(async () => {
    await router?.stop();
    await database?.drop();
    await new Promise((ok) => jwksServer?.close(ok));
  });

  it('accepts a token signed with the published key, fetching the key set once for many calls', async () => {
    for (let i = 0; i < 3; i++) expect((await rules(await sign(status.privateKey))).status).toBe(200);
    expect(jwksRequests).toBe(1);
  });

  it('answers 401 to a token signed by a wrong key, even one naming the published key id', async () => {
    const stranger = generateKeyPairSync('ed25519');
    const res = await rules(await sign(stranger.privateKey));
    expect(res.status).toBe(401);
    expect(((await res.json()) as { message: string }).message).toMatch(/not valid/);
  });

  it('answers 401 to an HS256 token, whatever its secret, when no migration secret is set', async () => {
    const hs256 = await signOfficerToken(
      { sub: 'admin-1', role: 'admin' },
      'any-secret-anyone-could-choose-123',
    );
    expect((await rules(hs256)).status).toBe(401);
    const [, payload] = (await sign(status.privateKey)).split('.');
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`;
    expect((await rules(unsigned)).status).toBe(401);
  });

  it('still refuses a role the rules admin API does not allow', async () => {
    expect((await rules(await sign(status.privateKey, 'validator'))).status).toBe(403);
  });
});
