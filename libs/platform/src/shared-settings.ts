import { defineConfig } from './config';

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
});

export const databaseSettings = defineConfig({
  DATABASE_URL: {
    kind: 'url',
    description: 'PostgreSQL connection URL; the database is created if missing',
    default: 'postgres://postgres@127.0.0.1:5432/aduan',
  },
});

export const logSettings = defineConfig({
  LOG_LEVEL: {
    kind: 'enum',
    description: 'Lowest level written to the log',
    default: 'info',
    values: ['debug', 'info', 'warn', 'error'],
  },
});
