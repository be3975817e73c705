import { ConfigError, kafkaSettings, loadConfig } from '@aduan/platform';
import { clientCredentialsToken, kafkaSecurity } from '../src/kafka-security';

/**
 * The mapping from KAFKA_SSL* / KAFKA_SASL* onto kafkajs options. No TLS or SASL broker runs
 * here, so what reaches kafkajs is checked, and the refusals at start-up.
 */
const files: Record<string, string> = {
  '/etc/aduan/ca.pem': 'CA',
  '/etc/aduan/client.pem': 'CERT',
  '/etc/aduan/client.key': 'KEY',
};
const io = {
  readFile: (path: string) => {
    if (!(path in files)) throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
    return Buffer.from(files[path]!);
  },
  fetch: (() => Promise.reject(new Error('no network in unit tests'))) as typeof fetch,
};

function settings(env: Record<string, string>) {
  return loadConfig('test', kafkaSettings, env);
}

function problems(env: Record<string, string>): string[] {
  try {
    kafkaSecurity('test', settings(env), io);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('accepted');
}

describe('Kafka TLS and SASL settings', () => {
  it('leaves both off when nothing is set (a development broker)', () => {
    expect(kafkaSecurity('test', settings({}), io)).toEqual({});
  });

  it('turns TLS on with the system authorities, or with the CA and client certificate named', () => {
    expect(kafkaSecurity('test', settings({ KAFKA_SSL: 'true' }), io)).toEqual({ ssl: true });
    const { ssl } = kafkaSecurity(
      'test',
      settings({
        KAFKA_SSL: 'true',
        KAFKA_SSL_CA_FILE: '/etc/aduan/ca.pem',
        KAFKA_SSL_CERT_FILE: '/etc/aduan/client.pem',
        KAFKA_SSL_KEY_FILE: '/etc/aduan/client.key',
      }),
      io,
    ) as { ssl: { ca: Buffer; cert: Buffer; key: Buffer; rejectUnauthorized: boolean } };
    expect([ssl.ca.toString(), ssl.cert.toString(), ssl.key.toString(), ssl.rejectUnauthorized]).toEqual([
      'CA',
      'CERT',
      'KEY',
      true,
    ]);
  });

  it.each(['scram-sha-256', 'scram-sha-512'])('passes %s with its user and password', (mechanism) => {
    const security = kafkaSecurity(
      'test',
      settings({
        KAFKA_SSL: 'true',
        KAFKA_SASL_MECHANISM: mechanism,
        KAFKA_SASL_USERNAME: 'aduan-status',
        KAFKA_SASL_PASSWORD: 's3cret-pass',
      }),
      io,
    );
    expect(security).toEqual({
      ssl: true,
      sasl: { mechanism, username: 'aduan-status', password: 's3cret-pass' },
    });
  });

  it('fails fast naming what to set when a mechanism lacks its credentials', () => {
    expect(problems({ KAFKA_SASL_MECHANISM: 'scram-sha-512' })).toEqual([
      'set KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD: KAFKA_SASL_MECHANISM=scram-sha-512 needs them',
    ]);
    expect(
      problems({ KAFKA_SASL_MECHANISM: 'oauthbearer', KAFKA_SASL_USERNAME: 'id', KAFKA_SASL_PASSWORD: 'pw' }),
    ).toEqual(['set KAFKA_SASL_OAUTHBEARER_TOKEN_URL: KAFKA_SASL_MECHANISM=oauthbearer needs it']);
  });

  it('refuses an unknown mechanism, unreadable files, half a client certificate and settings that would be ignored', () => {
    expect(() => settings({ KAFKA_SASL_MECHANISM: 'plain' })).toThrow(
      /KAFKA_SASL_MECHANISM must be one of scram-sha-256, scram-sha-512, oauthbearer/,
    );
    expect(problems({ KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: '/nowhere/ca.pem' })).toEqual([
      'KAFKA_SSL_CA_FILE: cannot read /nowhere/ca.pem (ENOENT)',
    ]);
    expect(problems({ KAFKA_SSL: 'true', KAFKA_SSL_CERT_FILE: '/etc/aduan/client.pem' })).toEqual([
      'set KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE together: a client certificate needs its key',
    ]);
    expect(problems({ KAFKA_SSL_CA_FILE: '/etc/aduan/ca.pem' })).toEqual([
      'set KAFKA_SSL=true: KAFKA_SSL_CA_FILE is set but TLS is off',
    ]);
    expect(problems({ KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' })).toEqual([
      'set KAFKA_SASL_MECHANISM: KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD are set but no mechanism is chosen',
    ]);
  });

  it('keeps the SASL password out of the logged configuration', () => {
    expect(kafkaSettings.KAFKA_SASL_PASSWORD.secret).toBe(true);
  });
});

describe('OAUTHBEARER by client credentials', () => {
  it('asks the token endpoint with the client id and secret, and keeps the token until shortly before it expires', async () => {
    const calls: Array<{ url: string; auth: string | null; body: string }> = [];
    const fakeFetch = (async (url: string, init: RequestInit) => {
      calls.push({
        url,
        auth: new Headers(init.headers).get('authorization'),
        body: String(init.body),
      });
      return new Response(JSON.stringify({ access_token: `token-${calls.length}`, expires_in: 3600 }), {
        headers: { 'content-type': 'application/json' },
      });
    }) as unknown as typeof fetch;
    const provider = clientCredentialsToken(
      'https://auth.example/token',
      'aduan-router',
      'pw',
      'kafka',
      fakeFetch,
    );
    expect(await provider()).toEqual({ value: 'token-1' });
    expect(await provider()).toEqual({ value: 'token-1' });
    expect(calls).toEqual([
      {
        url: 'https://auth.example/token',
        auth: `Basic ${Buffer.from('aduan-router:pw').toString('base64')}`,
        body: 'grant_type=client_credentials&scope=kafka',
      },
    ]);
  });

  it('fails the authentication (kafkajs retries it) when the endpoint refuses', async () => {
    const refusing = (async () => new Response('{}', { status: 401 })) as unknown as typeof fetch;
    await expect(
      clientCredentialsToken('https://auth.example/token', 'a', 'b', undefined, refusing)(),
    ).rejects.toThrow('Kafka token endpoint answered 401');
  });
});
