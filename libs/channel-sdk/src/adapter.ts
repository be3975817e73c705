/**
 * The adapter contract. A channel adapter says what it is and what it brings; `runChannel` does
 * everything else (configuration, store, bus, HTTP, health, metrics, consumer groups, the outbox
 * worker, notifications, ordered shutdown). See docs/adding-a-channel.md.
 *
 *   export const telegram = defineChannel({
 *     service: 'channel-telegram',
 *     channels: ['telegram'],
 *     settings: telegramSettings,          // defineConfig(…), including the HTTP port setting
 *     port: 'TELEGRAM_PORT',
 *     setup(ctx) {                         // ctx: config, intake, conversation rules, outbox…
 *       return { webhooks: [...], send: async (request) => … };
 *     },
 *   });
 */
import type { Provider, Type } from '@nestjs/common';
import type { EventBus, kafkaClientSettings } from '@aduan/bus';
import type { Channel } from '@aduan/contracts';
import type {
  ConfigOf,
  ConfigSpec,
  databaseSettings,
  HealthCheck,
  HealthRegistry,
  kafkaSettings,
  logSettings,
  Logger,
  Metrics,
} from '@aduan/platform';
import type { ComplaintIntake } from './complaint-intake';
import type { ConversationRules, ConversationRulesOptions } from './conversation/conversation-rules';
import type { FollowUpIntake } from './follow-up-intake';
import type { IdempotencyKeys } from './ingress/idempotency';
import type { PollIngress } from './ingress/poll';
import type { WebhookIngress } from './ingress/webhook';
import type { Outbox } from './outbound/outbox';
import type { OutboundSender } from './outbound/outbox-worker';
import type { channelSettings } from './settings';
import type { ChannelStore } from './store/channel-store';
import type { Quarantine } from './store/quarantine';

/** What the runner reads for every adapter, on top of the adapter's own settings. */
export type RunnerSettings = typeof channelSettings &
  typeof kafkaSettings &
  typeof kafkaClientSettings &
  typeof databaseSettings &
  typeof logSettings;

export type ChannelConfig<S extends ConfigSpec> = ConfigOf<S & RunnerSettings>;

export interface ChannelContext<C> {
  config: C;
  logger: Logger;
  metrics: Metrics;
  health: HealthRegistry;
  store: ChannelStore;
  bus: EventBus;
  /** A new report on `aduan.complaint.received.v1` (resolves once Kafka has it). */
  intake: ComplaintIntake;
  /** What a citizen adds to an existing report, on `aduan.complaint.followup.v1`. */
  followUps: FollowUpIntake;
  /** Every message to a citizen goes here; the runner's worker sends it. */
  outbox: Outbox;
  quarantine: Quarantine;
  idempotency: IdempotencyKeys;
  trackingUrl(trackingCode: string): string;
  /** The one conversation policy (new report, follow-up, ask for details) for chat-like channels. */
  conversationRules(opts: Pick<ConversationRulesOptions, 'windowMs' | 'style'>): ConversationRules;
}

export interface ChannelParts {
  webhooks?: WebhookIngress<any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
  polls?: PollIngress<any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Authenticated API ingress (JAKI, officer entry): NestJS controllers and what they inject. */
  api?: { controllers: Type[]; providers?: Provider[]; jsonLimit?: string };
  /** How a message reaches a citizen on this channel; absent: the adapter answers nobody. */
  send?: OutboundSender;
  /**
   * False: the runner does not queue `aduan.notification.v1` for the adapter's channels, for an
   * adapter whose outbox carries something else (JAKI pushes state changes to its app's backend).
   */
  notifications?: boolean;
  /** Readiness checks of the adapter's own connections (an IMAP session, a paired phone). */
  health?: Record<string, HealthCheck>;
  /** URLs printed at start, given the service's base URL. */
  urls?: (base: string) => string[];
  /** Called once the HTTP server listens, e.g. to open a long-lived client; `port` is where it listens. */
  start?(listening: { port: number }): Promise<void>;
  /** Called first at shutdown, before the runner stops what it owns. */
  stop?(): Promise<void>;
}

export interface ChannelAdapter<S extends ConfigSpec = ConfigSpec> {
  /** `channel-<name>`: names the logs, metrics, consumer groups and CloudEvents source. */
  service: string;
  /** The channel names this adapter takes complaints from and answers on. */
  channels: readonly Channel[];
  /** The adapter's own settings (defineConfig); the runner adds the shared ones. */
  settings: S;
  /** The setting that holds the HTTP port. */
  port: keyof S & string;
  /** Checks what needs no connection (an executable, a folder) so a misconfiguration fails before any wait. */
  preflight?(config: ChannelConfig<S>): void;
  setup(ctx: ChannelContext<ChannelConfig<S>>): ChannelParts | Promise<ChannelParts>;
}

export function defineChannel<S extends ConfigSpec>(adapter: ChannelAdapter<S>): ChannelAdapter<S> {
  return adapter;
}
