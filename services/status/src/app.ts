import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { busFromConfig } from '@aduan/bus';
import { RateLimits } from '@aduan/channel-sdk';
import { databaseHealth, openDatabase } from '@aduan/persistence';
import {
  ConfigError,
  type ConfigOf,
  createLogger,
  type HealthRegistry,
  type Metrics,
  openServiceShell,
  serveHttp,
  type HttpParts,
  type Logger,
  type RunningService,
} from '@aduan/platform';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { DUMMY_HASH, verifyPassword } from './auth/password';
import { Sessions } from './auth/sessions';
import { loadSigningKeys, SIGNING_ALG } from './auth/signing-key';
import { LocalTokens } from './auth/tokens';
import { citizenParts } from './citizen/citizen-parts';
import { systemClock, type Clock } from './clock';
import { statusSettings } from './config';
import { statusMigrations } from './database/migrations';
import { LocalDiskStorage } from './evidence/evidence-storage';
import { EvidenceService } from './evidence/evidence-service';
import { subscribeIntake } from './intake/intake-consumer';
import { LifecycleService } from './lifecycle/lifecycle-service';
import { TaskService } from './lifecycle/tasks';
import { CitizenNotifier } from './notifications/citizen-notifier';
import { AdminController } from './officer/admin.controller';
import { AuthController, JwksController } from './officer/auth.controller';
import { BulkController } from './officer/bulk.controller';
import { MediaController } from './officer/media.controller';
import { MessagesController } from './officer/messages.controller';
import { MessageLimits } from './conversation/message-limits';
import { OfficerMessages } from './conversation/officer-messages';
import { TasksController } from './officer/tasks.controller';
import { ViewsController } from './officer/views.controller';
import { OfficerAuthGuard, TOKEN_VERIFIER } from './officer/officer-auth';
import { Officers } from './officer/officers';
import { ConstantCost, SignInThrottle } from './officer/sign-in-throttle';
import {
  ADAPTER_CONTACTS,
  CLOCK,
  EVIDENCE_MAX_BYTES,
  ReportsController,
  VAULT,
} from './officer/reports.controller';
import { AdapterContacts, parseChannelEndpoints } from './vault/adapter-contacts';
import { seedUnits } from './officer/unit-directory';
import { OutboxRelay } from './outbox/outbox-relay';
import { PublicLookupLimits } from './public/lookup-limits';
import { PublicChanges } from './public/public-changes';
import { PublicController } from './public/public.controller';
import { PublicStreams } from './public/public-streams';
import { Open311Controller } from './public/open311.controller';
import { ReportStore } from './reports/report-store';
import { SlaClocks } from './sla/sla-clocks';
import { SlaScheduler } from './sla/sla-scheduler';
import { StatsController } from './stats/stats.controller';
import { HolidayCalendar } from './sla/working-days';
import { IdentityVault } from './vault/identity-vault';

export const SERVICE = 'status';

interface Deps {
  db: DataSource;
  health: HealthRegistry;
  metrics: Metrics;
  officers: Officers;
  tokens: LocalTokens;
  sessions: Sessions;
  lifecycle: LifecycleService;
  tasks: TaskService;
  evidence: EvidenceService;
  vault: IdentityVault;
  adapters: AdapterContacts;
  clock: Clock;
  evidenceMaxBytes: number;
  streams: PublicStreams;
  signIn: SignInThrottle;
  lookups: PublicLookupLimits;
  citizen: Pick<ReturnType<typeof citizenParts>, 'controllers' | 'providers'>;
  messages: OfficerMessages;
}

/** Sign-in limits; refusals that skip the password check wait as long as one takes here. */
async function signInThrottle(
  db: DataSource,
  config: ConfigOf<typeof statusSettings>,
): Promise<SignInThrottle> {
  const started = performance.now();
  await verifyPassword('calibration', DUMMY_HASH);
  return new SignInThrottle(
    new RateLimits(db, 'aduan-status-sign-in'),
    {
      attemptsPerIp: config.SIGN_IN_ATTEMPTS_PER_IP,
      attemptWindowMs: 15 * 60_000,
      maxFailures: config.SIGN_IN_MAX_FAILURES,
      lockoutMs: config.SIGN_IN_LOCKOUT_MINUTES * 60_000,
    },
    new ConstantCost(performance.now() - started),
  );
}

/** The HTTP side: public tracking, the officer API, and what its controllers inject. */
function httpParts(deps: Deps): HttpParts {
  return {
    health: deps.health,
    metrics: deps.metrics,
    controllers: [
      PublicController,
      Open311Controller,
      AuthController,
      JwksController,
      AdminController,
      // Before ReportsController, whose `reports/:id/:action` would take `messages` otherwise.
      MessagesController,
      // Before ReportsController: its `reports/:id/:action` would take `reports/:id/tasks`.
      TasksController,
      BulkController,
      ViewsController,
      ReportsController,
      MediaController,
      StatsController,
      ...deps.citizen.controllers,
    ],
    providers: [
      { provide: DataSource, useValue: deps.db },
      { provide: Officers, useValue: deps.officers },
      { provide: LocalTokens, useValue: deps.tokens },
      { provide: TOKEN_VERIFIER, useValue: deps.tokens },
      { provide: Sessions, useValue: deps.sessions },
      { provide: LifecycleService, useValue: deps.lifecycle },
      { provide: TaskService, useValue: deps.tasks },
      { provide: EvidenceService, useValue: deps.evidence },
      { provide: VAULT, useValue: deps.vault },
      { provide: ADAPTER_CONTACTS, useValue: deps.adapters },
      { provide: CLOCK, useValue: deps.clock },
      { provide: EVIDENCE_MAX_BYTES, useValue: deps.evidenceMaxBytes },
      { provide: PublicStreams, useValue: deps.streams },
      { provide: SignInThrottle, useValue: deps.signIn },
      { provide: PublicLookupLimits, useValue: deps.lookups },
      { provide: OfficerMessages, useValue: deps.messages },
      {
        provide: MessageLimits,
        useValue: new MessageLimits(new RateLimits(deps.db, 'aduan-status-officer-messages')),
      },
      OfficerAuthGuard,
      ...deps.citizen.providers,
    ],
  };
}

function serveOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Aduan officer API')
    .setDescription(
      'Triage, coordination, follow-up and validation of citizen reports. See docs/officer-api.md.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  const document = SwaggerModule.createDocument(app, config, { include: [] });
  document.paths = Object.fromEntries(
    Object.entries(document.paths).filter(([path]) => path.startsWith('/v1/officer')),
  );
  app
    .getHttpAdapter()
    .get('/v1/officer/openapi.json', (_req: Request, res: Response) => void res.json(document));
}

export interface StatusOptions {
  /** The time the service acts on; tests move it instead of sleeping. */
  clock?: Clock;
  /** Start the periodic SLA check (tests drive `scheduler.tick()` themselves). */
  runScheduler?: boolean;
}

export interface StatusService extends RunningService {
  port: number;
  db: DataSource;
  relay: OutboxRelay;
  scheduler: SlaScheduler;
  /** The citizen's reviews; tests close ended review windows with `closeExpired()`. */
  reviews: ReturnType<typeof citizenParts>['reviews'];
}

export async function startStatus(
  env: NodeJS.ProcessEnv = process.env,
  logger: Logger = createLogger(SERVICE),
  options: StatusOptions = {},
): Promise<StatusService> {
  const { config, metrics, health } = openServiceShell(SERVICE, statusSettings, env, logger);
  const clock = options.clock ?? systemClock;

  const { vault, usingDevKey } = IdentityVault.fromSettings(config);
  const channelEndpoints = parseChannelEndpoints(config.CHANNEL_ENDPOINTS);
  if (channelEndpoints.problems.length) throw new ConfigError(SERVICE, channelEndpoints.problems);
  if (usingDevKey)
    logger.warn('REPORTER_DATA_KEY is not set: reporter contact data is encrypted with the development key');

  const db = await openDatabase({
    url: config.DATABASE_URL,
    entities: [],
    migrations: statusMigrations(vault),
    startupWaitMs: config.STARTUP_WAIT_SECONDS * 1000,
    migrationsTableName: 'status_migrations',
    logger,
  });
  health.register('database', () => databaseHealth(db));
  await seedUnits(db);
  const officers = new Officers(db);
  const signingKeys = await loadSigningKeys(db, config.OFFICER_SIGNING_KEY);
  const tokens = new LocalTokens(signingKeys, clock);
  const sessions = new Sessions(db, clock);
  await officers.bootstrapAdmin(config.OFFICER_BOOTSTRAP_ADMIN, logger);
  if (config.NODE_ENV === 'production' && !(await officers.anyAccount())) {
    await db.destroy();
    // Without a first admin nobody can sign in to create the others.
    throw new ConfigError(SERVICE, [
      'set OFFICER_BOOTSTRAP_ADMIN: no officer account exists yet; give username:password of the first admin (a password of at least 8 characters)',
    ]);
  }

  const bus = busFromConfig(SERVICE, config, logger, metrics);
  await bus.connect();
  await bus.ensureTopics([
    'aduan.complaint.received.v1',
    'aduan.complaint.followup.v1',
    'aduan.complaint.routed.v1',
    'aduan.report.lifecycle.v1',
    'aduan.report.state.v1',
    'aduan.notification.v1',
    'aduan.delivery.outcome.v1',
    'aduan.reporter.erased.v1',
  ]);
  health.register('kafka', () => bus.healthCheck());

  const relay = new OutboxRelay(db, bus, logger.child({ component: 'outbox' }));
  const calendar = HolidayCalendar.fromFile(config.SLA_HOLIDAYS_FILE);
  const store = new ReportStore(db, {
    vault,
    clocks: new SlaClocks(calendar),
    notifier: new CitizenNotifier(vault, config.PUBLIC_TRACKING_URL),
  });
  const kick = () => relay.kick();
  const citizen = citizenParts(db, store, clock, config, logger.child({ component: 'citizen' }), kick);
  const intake = subscribeIntake(bus, store, db, logger.child({ component: 'intake' }), kick, (e) =>
    citizen.reviews.fromFollowUp(e),
  );
  await intake.start();
  relay.start();
  const scheduler = new SlaScheduler(db, store, clock, logger.child({ component: 'sla' }), kick, metrics);
  if (options.runScheduler ?? true) scheduler.start(config.SLA_CHECK_INTERVAL_MS);
  if (options.runScheduler ?? true) citizen.reviews.start(config.REVIEW_CHECK_INTERVAL_MS);

  const lifecycle = new LifecycleService(db, store, clock, kick);
  const tasks = new TaskService(db, store, clock, kick);
  const evidence = new EvidenceService(db, new LocalDiskStorage(config.EVIDENCE_DIR), {
    hashDistance: config.EVIDENCE_HASH_DISTANCE,
    maxDistanceMetres: config.EVIDENCE_MAX_DISTANCE_M,
  });
  const streams = new PublicStreams(
    db,
    {
      max: config.PUBLIC_STREAMS_MAX,
      perClient: config.PUBLIC_STREAMS_PER_CLIENT,
      heartbeatMs: config.PUBLIC_STREAM_HEARTBEAT_SECONDS * 1000,
      retryMs: 5000,
    },
    logger.child({ component: 'public-streams' }),
    metrics,
  );
  const changes = new PublicChanges(
    config.DATABASE_URL,
    streams,
    logger.child({ component: 'public-changes' }),
  );
  await changes.start();
  const { app, port, base } = await serveHttp(
    httpParts({
      db,
      health,
      metrics,
      officers,
      tokens,
      sessions,
      lifecycle,
      tasks,
      evidence,
      vault,
      adapters: new AdapterContacts(channelEndpoints.endpoints, { ...signingKeys, alg: SIGNING_ALG }),
      clock,
      evidenceMaxBytes: config.EVIDENCE_MAX_BYTES,
      streams,
      signIn: await signInThrottle(db, config),
      lookups: PublicLookupLimits.on(db, config.PUBLIC_LOOKUPS_PER_MINUTE),
      citizen,
      messages: new OfficerMessages(db, vault, clock),
    }),
    {
      logger,
      port: config.STATUS_PORT,
      mount(app) {
        // Streams are counted per citizen, not per proxy (the web site) that forwards them.
        app.getHttpAdapter().getInstance().set('trust proxy', config.STATUS_TRUSTED_PROXIES);
        serveOpenApi(app);
      },
    },
  );
  return {
    port,
    db,
    relay,
    scheduler,
    reviews: citizen.reviews,
    urls: [
      `${base}/v1/public/reports/{trackingCode}`,
      `${base}/v1/public/reports/{trackingCode}/events`,
      `${base}/v1/officer/openapi.json`,
    ],
    async stop() {
      // Open streams would hold the HTTP server open; browsers reconnect elsewhere after `retry`.
      await changes.stop();
      await streams.stop();
      await app.close();
      await scheduler.stop();
      await citizen.reviews.stop();
      await intake.stop();
      // The relay goes before the producer it publishes with; whatever it leaves in the
      // outbox is sent at the next start.
      await relay.stop();
      await bus.close();
      await db.destroy();
    },
  };
}
