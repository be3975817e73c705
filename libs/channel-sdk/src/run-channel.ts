import type { ConfigOf, ConfigSpec, Logger, RunningService, TracingConfig } from '@aduan/platform';
import {
  createLogger,
  databaseSettings,
  internalTokenVerifier,
  describeConfig,
  featuresOff,
  kafkaSettings,
  loadConfig,
  logSettings,
  serveHttp,
  startTracing,
} from '@aduan/platform';
import { kafkaClientSettings } from '@aduan/bus';
import type { ComplaintReceived } from '@aduan/contracts';
import type { ChannelAdapter, ChannelConfig, ChannelContext, ChannelParts, RunnerSettings } from './adapter';
import { openChannelRuntime } from './channel-runtime';
import { ConversationRules } from './conversation/conversation-rules';
import { IdempotencyKeys } from './ingress/idempotency';
import { PollRunner } from './ingress/poll';
import { RateLimits } from './limits/rate-limits';
import { perSenderLimit } from './limits/sender-limit';
import { WEBHOOK_ROUTES, WebhookController, type WebhookRoutes } from './ingress/webhook-controller';
import { NotificationQueue } from './outbound/notification-queue';
import { Outbox } from './outbound/outbox';
import { OutboxWorker } from './outbound/outbox-worker';
import { Sealer } from './outbound/sealed';
import { channelSettings } from './settings';
import { statusCheckSettings, StatusChecks } from './status/status-checks';
import { Quarantine } from './store/quarantine';
import type { RevealedContact } from './store/reporter-book';
import { ReporterErasures } from './reporters/reporter-erasures';
import {
  REPORTER_REVEALS,
  ReporterRevealController,
  type ReporterReveals,
} from './reporters/reporter-reveal.controller';

/** What the runner reads for every adapter, on top of the adapter's own settings. */
export const runnerSettings: RunnerSettings = {
  ...channelSettings,
  ...kafkaSettings,
  ...kafkaClientSettings,
  ...databaseSettings,
  ...logSettings,
};

export interface RunningChannel extends RunningService {
  port: number;
  context: ChannelContext<unknown>;
  /** Sends every message due now (tests; the worker does it by itself). */
  flushOutbox(): Promise<number>;
  /** One poll of one partition of a poll ingress (tests; the runner polls by itself). */
  pollOnce(ingress: string, partition: string): Promise<boolean>;
  /** The contact kept for a complaint's reporter, as a reveal would answer it (tests). */
  keptContact(
    event: Pick<ComplaintReceived, 'channel' | 'reportId' | 'reporter'>,
  ): Promise<RevealedContact | null>;
}

export interface RunOptions {
  /** Tests drive the outbox and the polls themselves. */
  background?: boolean;
}

/**
 * Runs a channel adapter: validates its settings and the shared ones, opens the channel store
 * and the bus, lets the adapter build its parts, then serves its webhooks and API, runs its
 * polls, sends its outbox and queues the notifications of its channels. Everything opened is
 * closed again if start-up fails half-way, and at shutdown in the reverse order.
 */
export async function runChannel<S extends ConfigSpec>(
  adapter: ChannelAdapter<S>,
  env: NodeJS.ProcessEnv = process.env,
  logger: Logger = createLogger(adapter.service),
  options: RunOptions = {},
): Promise<RunningChannel> {
  // An adapter that reads the status service for its own ends (JAKI) keeps its own STATUS_BASE_URL.
  const spec = { ...statusCheckSettings, ...adapter.settings, ...runnerSettings };
  const config = loadConfig(adapter.service, spec, env) as ChannelConfig<S>;
  // The generic intersection loses the shared settings' types; they are there, validated.
  const shared = config as unknown as ConfigOf<RunnerSettings>;
  logger.info('configuration', describeConfig(spec, config as Record<string, unknown>));
  for (const line of featuresOff(spec, config as Record<string, unknown>)) logger.warn(line);
  startTracing(adapter.service, config as TracingConfig);
  adapter.preflight?.(config);

  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse())
      await stop().catch((err) => logger.error('stop failed', { error: String(err) }));
  };
  try {
    const runtime = await openChannelRuntime(adapter.service, shared, logger, [
      'aduan.complaint.received.v1',
      'aduan.complaint.followup.v1',
      'aduan.notification.v1',
      'aduan.delivery.outcome.v1',
      'aduan.reporter.erased.v1',
    ]);
    stops.push(() => runtime.close());
    const { store, metrics } = runtime;
    const sealer = new Sealer(shared.TRACKING_CODE_SECRET);
    const outbox = new Outbox(store.db, sealer, async (outcome) => {
      await runtime.bus.publish('aduan.delivery.outcome.v1', outcome);
    });
    const quarantine = new Quarantine(store.db);
    const trackingUrl = (code: string) => shared.PUBLIC_TRACKING_URL.replace('{code}', code);
    const statusConfig = config as unknown as { STATUS_BASE_URL?: string; STATUS_CHECKS_PER_HOUR: number };
    const checks = new StatusChecks({
      db: store.db,
      conversations: store.conversations,
      outbox,
      statusBaseUrl: statusConfig.STATUS_BASE_URL,
      perHour: statusConfig.STATUS_CHECKS_PER_HOUR,
      trackingUrl,
      log: logger.child({ component: 'status-checks' }),
      metrics,
    });
    // Counted in PostgreSQL: every instance of the adapter shares one allowance per sender.
    const senderLimit = perSenderLimit(
      new RateLimits(store.db, shared.TRACKING_CODE_SECRET, store.coalescing),
      shared.CHANNEL_SENDER_MESSAGES_PER_HOUR,
    );
    const context: ChannelContext<ChannelConfig<S>> = {
      config,
      logger,
      metrics,
      health: runtime.health,
      store,
      bus: runtime.bus,
      intake: runtime.intake,
      followUps: runtime.followUps,
      outbox,
      quarantine,
      idempotency: new IdempotencyKeys(store.db, store.coalescing),
      trackingUrl,
      conversationRules: (o) =>
        new ConversationRules({
          ...o,
          intake: runtime.intake,
          followUps: runtime.followUps,
          conversations: store.conversations,
          outbox,
          trackingUrl,
          log: logger.child({ component: 'conversations' }),
          checks,
          senderLimit,
        }),
    };
    const parts: ChannelParts = await adapter.setup(context);
    if (parts.stop) stops.push(() => parts.stop!());
    for (const [name, check] of Object.entries(parts.health ?? {})) runtime.health.register(name, check);

    const worker = parts.send
      ? new OutboxWorker({
          db: store.db,
          outbox,
          sealer,
          channels: adapter.channels,
          send: checks.answering(parts.send),
          logger: logger.child({ component: 'outbox' }),
          metrics,
        })
      : undefined;
    if (worker) {
      if (options.background !== false) worker.start();
      stops.push(() => worker.stop());
    }
    if (worker && parts.notifications !== false) {
      const notifications = new NotificationQueue({
        bus: runtime.bus,
        outbox,
        conversations: store.conversations,
        replies: store.replies,
        channels: adapter.channels,
        groupId: `aduan.${adapter.service}.notifications`,
        metrics,
      });
      await notifications.start();
      stops.push(() => notifications.stop());
    }

    // An erasure recorded by the status service reaches this adapter's store (ADR 0058).
    const erasures = new ReporterErasures({
      bus: runtime.bus,
      reporters: store.reporters,
      channels: adapter.channels,
      groupId: `aduan.${adapter.service}.reporter-erasures`,
      metrics,
    });
    await erasures.start();
    stops.push(() => erasures.stop());
    const reveals: ReporterReveals = {
      channels: adapter.channels,
      reporters: store.reporters,
      verifier: shared.STATUS_JWKS_URL
        ? internalTokenVerifier({ jwksUrl: shared.STATUS_JWKS_URL })
        : undefined,
      log: logger.child({ component: 'reporter-reveal' }),
    };

    const polls = new Map(
      (parts.polls ?? []).map((p) => [
        p.name,
        new PollRunner(p, {
          channel: adapter.channels[0]!,
          cursors: store.cursors,
          quarantine,
          log: logger.child({ component: 'poll' }),
          metrics,
        }),
      ]),
    );

    const webhooks = parts.webhooks ?? [];
    const routes: WebhookRoutes | null = webhooks.length
      ? {
          channel: adapter.channels[0]!,
          ingresses: new Map(webhooks.map((w) => [w.name, w])),
          quarantine,
          log: logger.child({ component: 'webhooks' }),
          metrics,
        }
      : null;
    const configured = (config as Record<string, unknown>)[adapter.port];
    const { app, port, base } = await serveHttp(
      {
        health: runtime.health,
        metrics,
        controllers: [
          ...(routes ? [WebhookController] : []),
          ReporterRevealController,
          ...(parts.api?.controllers ?? []),
        ],
        providers: [
          { provide: REPORTER_REVEALS, useValue: reveals },
          ...(routes ? [{ provide: WEBHOOK_ROUTES, useValue: routes }] : []),
          ...(parts.api?.providers ?? []),
        ],
      },
      {
        logger,
        port: typeof configured === 'number' ? configured : 0,
        rawBodyPaths: webhooks.length ? ['/webhooks'] : [],
        jsonLimit: parts.api?.jsonLimit,
        // The same allowance as the intake's: what a request waits for before the publish
        // (rate limits, the Idempotency-Key, the books) is held in memory too.
        admission: {
          maxInHand: shared.CHANNEL_INTAKE_MAX_IN_FLIGHT,
          refused: () => runtime.intake.countRefused(adapter.channels.join('/')),
        },
      },
    );
    stops.push(() => app.close());

    for (const runner of polls.values()) {
      if (options.background !== false) runner.start();
      stops.push(() => runner.stop());
    }
    if (parts.start) await parts.start({ port });

    return {
      port,
      context: context as ChannelContext<unknown>,
      urls: parts.urls?.(base) ?? [
        ...webhooks.map((w) => `${base}/webhooks/${w.name}`),
        `${base}/health/ready`,
      ],
      flushOutbox: () => worker?.runOnce() ?? Promise.resolve(0),
      pollOnce: (ingress, partition) => {
        const runner = polls.get(ingress);
        if (!runner) throw new Error(`no poll ingress named ${ingress}`);
        return runner.pollOnce(partition);
      },
      keptContact: async (event) =>
        event.reporter.ref ? store.reporters.reveal(event.channel, event.reportId, event.reporter.ref) : null,
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
