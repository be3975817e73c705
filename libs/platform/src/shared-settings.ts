import { defineConfig, type Setting } from './config';

/**
 * Shared by the Kafka and database groups: a service waits this long for either to come up
 * (a cold broker electing leaders, a database still starting) before it exits.
 */
const startupWait: Setting<'int'> = {
  kind: 'int',
  description:
    'Seconds a service waits at start-up for Kafka and PostgreSQL to accept it before it exits with the reason',
  default: '180',
  min: 1,
};

/** Settings every service that talks to Kafka reads. */
export const kafkaSettings = defineConfig({
  KAFKA_BROKERS: {
    kind: 'list',
    description: 'Kafka bootstrap servers, comma-separated host:port',
    default: '127.0.0.1:9092',
  },
  KAFKA_TOPIC_PARTITIONS: {
    kind: 'int',
    description: 'Partitions for topics this service creates at start-up',
    default: '3',
    min: 1,
  },
  KAFKA_TOPIC_PREFIX: {
    kind: 'string',
    description: 'Prefix for every topic name, to run several isolated stacks on one broker (tests do)',
    optional: true,
  },
  STARTUP_WAIT_SECONDS: startupWait,
  // Broker security (ADR 0052): validated together when the bus is built.
  KAFKA_SSL: {
    kind: 'bool',
    description: 'Connect to Kafka over TLS (true on any broker outside a single machine)',
    example: 'true',
    optional: true,
  },
  KAFKA_SSL_CA_FILE: {
    kind: 'string',
    description:
      "PEM file of the certificate authority that signed the brokers' certificates (unset: the system's)",
    example: '/etc/aduan/kafka-ca.pem',
    optional: true,
  },
  KAFKA_SSL_CERT_FILE: {
    kind: 'string',
    description: 'PEM client certificate for brokers that require mutual TLS (with KAFKA_SSL_KEY_FILE)',
    example: '/etc/aduan/kafka-client.pem',
    optional: true,
  },
  KAFKA_SSL_KEY_FILE: {
    kind: 'string',
    description: 'PEM private key of KAFKA_SSL_CERT_FILE',
    example: '/etc/aduan/kafka-client.key',
    optional: true,
  },
  KAFKA_SASL_MECHANISM: {
    kind: 'enum',
    description:
      'SASL mechanism the brokers require: scram-sha-256, scram-sha-512 or oauthbearer (unset: no SASL)',
    values: ['scram-sha-256', 'scram-sha-512', 'oauthbearer'],
    optional: true,
  },
  KAFKA_SASL_USERNAME: {
    kind: 'string',
    description: 'SASL user (SCRAM), or OAuth client id (oauthbearer)',
    example: 'aduan-status',
    optional: true,
  },
  KAFKA_SASL_PASSWORD: {
    kind: 'string',
    description: 'SASL password (SCRAM), or OAuth client secret (oauthbearer)',
    secret: true,
    optional: true,
  },
  KAFKA_SASL_OAUTHBEARER_TOKEN_URL: {
    kind: 'url',
    description: 'OAuth 2 token endpoint that issues broker tokens by client credentials (oauthbearer only)',
    example: 'https://auth.example.go.id/oauth2/token',
    optional: true,
  },
  KAFKA_SASL_OAUTHBEARER_SCOPE: {
    kind: 'string',
    description: 'Scope asked for with the broker token (oauthbearer only; unset asks for none)',
    optional: true,
  },
});

export const databaseSettings = defineConfig({
  DATABASE_URL: {
    kind: 'url',
    description: 'PostgreSQL connection URL; the database is created if missing',
    default: 'postgres://postgres@127.0.0.1:5432/aduan',
  },
  STARTUP_WAIT_SECONDS: startupWait,
});

/** What every service reads for its logs and traces. */
export const logSettings = defineConfig({
  LOG_LEVEL: {
    kind: 'enum',
    description: 'Lowest level written to the log',
    default: 'info',
    values: ['debug', 'info', 'warn', 'error'],
  },
  OTEL_EXPORTER_OTLP_ENDPOINT: {
    kind: 'url',
    description:
      'OpenTelemetry collector (OTLP over HTTP) that receives traces at <url>/v1/traces; unset: no spans are exported, and the trace context still travels in Kafka headers',
    example: 'http://otel-collector:4318',
    optional: true,
  },
  OTEL_SERVICE_NAME: {
    kind: 'string',
    description: "Service name on exported traces (default: the service's own, e.g. channel-jaki)",
    optional: true,
  },
});

/**
 * Declared once for every service that verifies officer tokens the status service signs
 * (router, channel-officer, channel-media, channel-whatsapp): one description, one development
 * value, one production rule (ADR 0057).
 */
export const officerTokenSettings = defineConfig({
  OFFICER_JWKS_URL: {
    kind: 'url',
    description:
      "The status service's public signing keys (its /.well-known/jwks.json), fetched and cached to verify officer access tokens; unset (with OFFICER_JWT_SECRET unset) disables the officer API",
    example: 'http://status:3300/.well-known/jwks.json',
    dev: 'http://localhost:3300/.well-known/jwks.json',
    optional: true,
    requiredInProduction: true,
    offWhenUnset: 'every API that needs an officer token (answering 503)',
  },
  OFFICER_JWT_SECRET: {
    kind: 'string',
    description:
      'Deprecated: a shared HS256 secret whose tokens are still accepted while a deployment migrates to OFFICER_JWKS_URL (ADR 0057); the status service no longer issues such tokens, leave it unset',
    example: 'a-long-random-string-of-at-least-32-characters',
    secret: true,
    optional: true,
  },
});

/** The status service's signing key for officer access tokens (ADR 0057). */
export const officerSigningSettings = defineConfig({
  OFFICER_SIGNING_KEY: {
    kind: 'string',
    description:
      'Ed25519 private key (PKCS#8 PEM, newlines as \\n allowed) that signs officer access tokens; unset, a key is generated on first start and kept in the database',
    example: '-----BEGIN PRIVATE KEY-----\\nMC4CAQAwBQYDK2VwBCIEI…\\n-----END PRIVATE KEY-----',
    secret: true,
    optional: true,
  },
});
