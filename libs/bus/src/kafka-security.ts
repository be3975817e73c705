import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { ConfigError, type ConfigOf, type kafkaSettings } from '@aduan/platform';
import type { SASLOptions } from 'kafkajs';

export type KafkaSecuritySettings = Pick<
  ConfigOf<typeof kafkaSettings>,
  | 'KAFKA_SSL'
  | 'KAFKA_SSL_CA_FILE'
  | 'KAFKA_SSL_CERT_FILE'
  | 'KAFKA_SSL_KEY_FILE'
  | 'KAFKA_SASL_MECHANISM'
  | 'KAFKA_SASL_USERNAME'
  | 'KAFKA_SASL_PASSWORD'
  | 'KAFKA_SASL_OAUTHBEARER_TOKEN_URL'
  | 'KAFKA_SASL_OAUTHBEARER_SCOPE'
>;

/** What kafkajs takes for TLS and SASL; both absent on a development broker. */
export interface KafkaSecurity {
  ssl?: ConnectionOptions | boolean;
  sasl?: SASLOptions;
}

interface Io {
  readFile: (path: string) => Buffer;
  fetch: typeof fetch;
}

const defaultIo: Io = { readFile: (path) => readFileSync(path), fetch: (...a) => fetch(...a) };

/**
 * Maps the KAFKA_SSL* and KAFKA_SASL* settings onto kafkajs options, and refuses at start-up
 * (every problem at once, naming what to set) a combination that could only fail later at the
 * broker: a mechanism without its credentials, a client certificate without its key, a file
 * that cannot be read, TLS settings while TLS is off.
 */
export function kafkaSecurity(
  service: string,
  config: Partial<KafkaSecuritySettings>,
  io: Io = defaultIo,
): KafkaSecurity {
  const problems: string[] = [];
  const file = (name: keyof KafkaSecuritySettings): Buffer | undefined => {
    const path = config[name] as string | undefined;
    if (!path) return undefined;
    try {
      return io.readFile(path);
    } catch (err) {
      problems.push(`${name}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'unreadable'})`);
      return undefined;
    }
  };

  let ssl: KafkaSecurity['ssl'];
  const tlsFiles = ['KAFKA_SSL_CA_FILE', 'KAFKA_SSL_CERT_FILE', 'KAFKA_SSL_KEY_FILE'] as const;
  if (config.KAFKA_SSL) {
    const ca = file('KAFKA_SSL_CA_FILE');
    const cert = file('KAFKA_SSL_CERT_FILE');
    const key = file('KAFKA_SSL_KEY_FILE');
    if (!!config.KAFKA_SSL_CERT_FILE !== !!config.KAFKA_SSL_KEY_FILE)
      problems.push(
        'set KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE together: a client certificate needs its key',
      );
    // The broker's certificate is always verified; only the trusted authority can change.
    ssl = ca || cert || key ? { rejectUnauthorized: true, ca, cert, key } : true;
  } else {
    const stray = tlsFiles.filter((name) => config[name]);
    if (stray.length)
      problems.push(
        `set KAFKA_SSL=true: ${stray.join(', ')} ${stray.length > 1 ? 'are' : 'is'} set but TLS is off`,
      );
  }

  let sasl: SASLOptions | undefined;
  const mechanism = config.KAFKA_SASL_MECHANISM;
  const username = config.KAFKA_SASL_USERNAME;
  const password = config.KAFKA_SASL_PASSWORD;
  if (mechanism) {
    const missing = [!username && 'KAFKA_SASL_USERNAME', !password && 'KAFKA_SASL_PASSWORD'].filter(Boolean);
    if (mechanism === 'oauthbearer' && !config.KAFKA_SASL_OAUTHBEARER_TOKEN_URL)
      missing.push('KAFKA_SASL_OAUTHBEARER_TOKEN_URL');
    if (missing.length)
      problems.push(
        `set ${missing.join(' and ')}: KAFKA_SASL_MECHANISM=${mechanism} needs ${missing.length > 1 ? 'them' : 'it'}`,
      );
    else if (mechanism === 'oauthbearer')
      sasl = {
        mechanism,
        oauthBearerProvider: clientCredentialsToken(
          config.KAFKA_SASL_OAUTHBEARER_TOKEN_URL!,
          username!,
          password!,
          config.KAFKA_SASL_OAUTHBEARER_SCOPE,
          io.fetch,
        ),
      };
    else
      sasl = {
        mechanism: mechanism as 'scram-sha-256' | 'scram-sha-512',
        username: username!,
        password: password!,
      };
    // A password or a bearer token over a clear connection is readable by anyone on the path.
    if (!config.KAFKA_SSL && process.env['NODE_ENV'] === 'production')
      problems.push(
        'set KAFKA_SSL=true: SASL credentials are not sent over a clear connection in production',
      );
  } else {
    const stray = (
      ['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD', 'KAFKA_SASL_OAUTHBEARER_TOKEN_URL'] as const
    ).filter((name) => config[name]);
    if (stray.length)
      problems.push(
        `set KAFKA_SASL_MECHANISM: ${stray.join(', ')} ${stray.length > 1 ? 'are' : 'is'} set but no mechanism is chosen`,
      );
  }

  if (problems.length) throw new ConfigError(service, problems);
  return { ...(ssl ? { ssl } : {}), ...(sasl ? { sasl } : {}) };
}

/**
 * OAUTHBEARER with the OAuth 2 client-credentials grant: kafkajs asks for a token on every
 * (re)authentication; one is kept until shortly before it expires.
 */
export function clientCredentialsToken(
  tokenUrl: string,
  clientId: string,
  clientSecret: string,
  scope: string | undefined,
  fetchImpl: typeof fetch = fetch,
): () => Promise<{ value: string }> {
  let cached: { value: string; until: number } | undefined;
  return async () => {
    if (cached && Date.now() < cached.until) return { value: cached.value };
    const body = new URLSearchParams({ grant_type: 'client_credentials', ...(scope ? { scope } : {}) });
    const res = await fetchImpl(tokenUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`,
      },
      body,
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) throw new Error(`Kafka token endpoint answered ${res.status}`);
    const json = (await res.json()) as { access_token?: unknown; expires_in?: unknown };
    if (typeof json.access_token !== 'string')
      throw new Error('Kafka token endpoint answered without access_token');
    const lifetime = typeof json.expires_in === 'number' ? json.expires_in : 300;
    cached = { value: json.access_token, until: Date.now() + Math.max(0, lifetime - 30) * 1000 };
    return { value: cached.value };
  };
}
