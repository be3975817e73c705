import { type ConfigOf, type kafkaSettings, type Logger, type Metrics } from '@aduan/platform';
import { EventBus } from './event-bus';
import { kafkaSecurity } from './kafka-security';

/** The bus every service builds the same way from the shared Kafka settings. */
export function busFromConfig(
  service: string,
  config: ConfigOf<typeof kafkaSettings>,
  logger: Logger,
  metrics?: Metrics,
): EventBus {
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
  });
}
