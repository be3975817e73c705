import { busFromConfig, type EventBus } from '@aduan/bus';
import type { TopicName } from '@aduan/contracts';
import { DEFAULT_COALESCING } from '@aduan/persistence';
import { HealthRegistry, Metrics, type ConfigOf, type kafkaSettings, type Logger } from '@aduan/platform';
import { ComplaintIntake } from './complaint-intake';
import { FollowUpIntake } from './follow-up-intake';
import { openChannelStore, type ChannelStore } from './store/channel-store';

export type ChannelRuntimeConfig = ConfigOf<typeof kafkaSettings> & {
  DATABASE_URL: string;
  TRACKING_CODE_SECRET: string;
  PUBLIC_TRACKING_URL: string;
  /** Unset (a tool opening the runtime): no limit. */
  CHANNEL_INTAKE_MAX_IN_FLIGHT?: number;
  /** Unset: the default linger of DEFAULT_COALESCING. */
  CHANNEL_WRITE_LINGER_MS?: number;
};

/** What every channel adapter stands on, opened the same way everywhere. */
export interface ChannelRuntime {
  metrics: Metrics;
  health: HealthRegistry;
  store: ChannelStore;
  bus: EventBus;
  intake: ComplaintIntake;
  /** Adds a citizen's later message to an existing report (`aduan.complaint.followup.v1`). */
  followUps: FollowUpIntake;
  /** Closes the bus (its consumers first), then the store. */
  close(): Promise<void>;
}

/**
 * Opens the channel store (migrations included) and the bus, creates the adapter's topics,
 * and registers both as readiness checks. An adapter adds only what is its own: ingress,
 * the sender of its replies, and its health checks.
 */
export async function openChannelRuntime(
  service: string,
  config: ChannelRuntimeConfig,
  logger: Logger,
  topics: readonly TopicName[],
): Promise<ChannelRuntime> {
  const metrics = new Metrics(service);
  const health = new HealthRegistry();
  const store = await openChannelStore({
    url: config.DATABASE_URL,
    secret: config.TRACKING_CODE_SECRET,
    logger,
    startupWaitMs: config.STARTUP_WAIT_SECONDS * 1000,
    coalescing: {
      ...DEFAULT_COALESCING,
      lingerMs: config.CHANNEL_WRITE_LINGER_MS ?? DEFAULT_COALESCING.lingerMs,
    },
  });
  health.register('database', () => store.health());
  const bus = busFromConfig(service, config, logger, metrics);
  try {
    await bus.connect();
    await bus.ensureTopics(topics);
  } catch (err) {
    await store.close();
    throw err;
  }
  health.register('kafka', () => bus.healthCheck());
  const intake = new ComplaintIntake(
    bus,
    {
      trackingSecret: config.TRACKING_CODE_SECRET,
      trackingUrlTemplate: config.PUBLIC_TRACKING_URL,
      maxInFlight: config.CHANNEL_INTAKE_MAX_IN_FLIGHT ?? 0,
    },
    store,
    metrics,
  );
  const followUps = new FollowUpIntake(bus, store.conversations, config.TRACKING_CODE_SECRET, metrics);
  return {
    metrics,
    health,
    store,
    bus,
    intake,
    followUps,
    async close() {
      await bus.close();
      await store.close();
    },
  };
}
