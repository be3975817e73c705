import {
  defineConfig,
  loadConfig,
  type ConfigOf,
  type kafkaSettings,
  type Logger,
  type Metrics,
} from '@aduan/platform';
import { EventBus } from './event-bus';
import { kafkaSecurity } from './kafka-security';

/**
 * How publishes share produce requests (ADR 0062) and how long a consumer group waits on a
 * silent member; every service that talks to Kafka reads them.
 */
export const kafkaClientSettings = defineConfig({
  KAFKA_LINGER_MS: {
    kind: 'int',
    description:
      'While publishes come concurrently, milliseconds a record waits for others to share its produce request (a lone publish leaves at once; records published while a request is in flight always share the next one)',
    default: '5',
    min: 0,
    max: 1000,
  },
  KAFKA_BATCH_MAX_RECORDS: {
    kind: 'int',
    description: 'Records in one produce request at most (1 sends every record on its own request)',
    default: '1000',
    min: 1,
    max: 100_000,
  },
  KAFKA_BATCH_MAX_BYTES: {
    kind: 'int',
    description:
      "Bytes of records in one produce request at most; keep it below the broker's message.max.bytes (1 MiB by default)",
    default: '900000',
    min: 1024,
    max: 100_000_000,
  },
  KAFKA_SESSION_TIMEOUT_MS: {
    kind: 'int',
    description:
      "Milliseconds a consumer group waits on a member that stopped answering (a crashed instance) before its partitions move to the others; the broker's group.min/max.session.timeout.ms bound it",
    default: '30000',
    min: 6000,
    max: 300_000,
  },
});

export type KafkaClientConfig = ConfigOf<typeof kafkaClientSettings>;

/**
 * A service whose declared settings include kafkaClientSettings has them validated with the
 * rest; otherwise they are validated here, from the environment, before anything connects.
 */
function clientConfig(service: string, config: Partial<KafkaClientConfig>, env: NodeJS.ProcessEnv) {
  if (config.KAFKA_LINGER_MS !== undefined) return config as KafkaClientConfig;
  return loadConfig(service, kafkaClientSettings, env);
}

/** The bus every service builds the same way from the shared Kafka settings. */
export function busFromConfig(
  service: string,
  config: ConfigOf<typeof kafkaSettings> & Partial<KafkaClientConfig>,
  logger: Logger,
  metrics?: Metrics,
  env: NodeJS.ProcessEnv = process.env,
): EventBus {
  const client = clientConfig(service, config, env);
  return new EventBus({
    brokers: config.KAFKA_BROKERS,
    clientId: service,
    source: `/aduan/${service}`,
    logger: logger.child({ component: 'bus' }),
    metrics,
    partitions: config.KAFKA_TOPIC_PARTITIONS,
    topicPrefix: config.KAFKA_TOPIC_PREFIX,
    startupWaitMs: config.STARTUP_WAIT_SECONDS * 1000,
    // Throws a ConfigError naming what to set, before anything connects.
    security: kafkaSecurity(service, config),
    batching: {
      lingerMs: client.KAFKA_LINGER_MS,
      maxRecords: client.KAFKA_BATCH_MAX_RECORDS,
      maxBytes: client.KAFKA_BATCH_MAX_BYTES,
    },
    sessionTimeoutMs: client.KAFKA_SESSION_TIMEOUT_MS,
  });
}
