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
});

export const databaseSettings = defineConfig({
  DATABASE_URL: {
    kind: 'url',
    description: 'PostgreSQL connection URL; the database is created if missing',
    default: 'postgres://postgres@127.0.0.1:5432/aduan',
  },
  STARTUP_WAIT_SECONDS: startupWait,
});

export const logSettings = defineConfig({
  LOG_LEVEL: {
    kind: 'enum',
    description: 'Lowest level written to the log',
    default: 'info',
    values: ['debug', 'info', 'warn', 'error'],
  },
});

/**
 * Declared once for the status service, which signs officer tokens, and every service that
 * verifies them: one description, one development value, one production rule.
 */
export const officerTokenSettings = defineConfig({
  OFFICER_JWT_SECRET: {
    kind: 'string',
    description:
      'HS256 secret of officer access tokens (at least 32 characters), the same on status, router, channel-officer, channel-media and channel-whatsapp; unset disables the officer API',
    example: 'a-long-random-string-of-at-least-32-characters',
    dev: 'dev-only-officer-jwt-secret-change-me',
    secret: true,
    optional: true,
    requiredInProduction: true,
    offWhenUnset: 'officer sign-in and every API that needs an officer token (answering 503)',
  },
});
