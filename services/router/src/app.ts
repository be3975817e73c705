import { Module, type DynamicModule } from '@nestjs/common';
import { busFromConfig } from '@aduan/bus';
import { databaseHealth, openDatabase } from '@aduan/persistence';
import {
  createHttpApp,
  createLogger,
  describeConfig,
  HealthRegistry,
  loadConfig,
  Metrics,
  ObservabilityModule,
  type Logger,
  type RunningService,
} from '@aduan/platform';
import { createRoutingContext, defaultRules, loadRoutingKnowledge } from '@aduan/routing';
import type { DataSource } from 'typeorm';
import { OFFICER_SECRET, ROUTING_CONTEXT, RulesController } from './admin/rules.controller';
import { routerSettings } from './config';
import { migrations } from './database/migrations';
import { PgIncidentIndex } from './routing/pg-incident-index';
import { subscribeRouter } from './routing/router-consumer';
import { RuleStore } from './rules/rule-store';

export const SERVICE = 'router';

@Module({})
class RouterModule {
  static with(deps: {
    store: RuleStore;
    secret: string | undefined;
    context: ReturnType<typeof createRoutingContext>;
    health: HealthRegistry;
    metrics: Metrics;
  }): DynamicModule {
    return {
      module: RouterModule,
      imports: [ObservabilityModule.forRoot({ health: deps.health, metrics: deps.metrics })],
      controllers: [RulesController],
      providers: [
        { provide: RuleStore, useValue: deps.store },
        { provide: OFFICER_SECRET, useValue: deps.secret },
        { provide: ROUTING_CONTEXT, useValue: deps.context },
      ],
    };
  }
}

export interface RouterService extends RunningService {
  port: number;
  db: DataSource;
}

export async function startRouter(
  env: NodeJS.ProcessEnv = process.env,
  logger: Logger = createLogger(SERVICE),
): Promise<RouterService> {
  const config = loadConfig(SERVICE, routerSettings, env);
  logger.info('configuration', describeConfig(routerSettings, config));
  if (!config.OFFICER_JWT_SECRET)
    logger.warn('OFFICER_JWT_SECRET is not set: the rules admin API answers 503 until it is');
  const metrics = new Metrics(SERVICE);
  const health = new HealthRegistry();

  // Loading boundaries and lexicons takes a moment; do it before joining the consumer group.
  const knowledge = loadRoutingKnowledge();
  const db = await openDatabase({
    url: config.DATABASE_URL,
    entities: [],
    migrations,
    startupWaitMs: config.STARTUP_WAIT_SECONDS * 1000,
    migrationsTableName: 'router_migrations',
    logger,
  });
  health.register('database', () => databaseHealth(db));
  const store = new RuleStore(db, {
    opds: new Set(knowledge.opds.map((o) => o.code)),
    categories: new Set(knowledge.categories.map((c) => c.name)),
  });
  await store.seed(defaultRules());
  const incidents = new PgIncidentIndex(db);
  const context = createRoutingContext({
    thresholds: { category: config.ROUTER_CATEGORY_THRESHOLD, place: config.ROUTER_PLACE_THRESHOLD },
    duplicatePolicy: {
      maxDistanceMeters: config.ROUTER_DUPLICATE_RADIUS_METERS,
      maxAgeHours: config.ROUTER_DUPLICATE_WINDOW_HOURS,
      minTextSimilarity: config.ROUTER_DUPLICATE_TEXT_SIMILARITY,
    },
    incidents,
  });

  const bus = busFromConfig(SERVICE, config, logger, metrics);
  await bus.connect();
  await bus.ensureTopics([
    'aduan.complaint.received.v1',
    'aduan.complaint.routed.v1',
    'aduan.report.lifecycle.v1',
  ]);
  health.register('kafka', () => bus.healthCheck());
  await subscribeRouter({ bus, context, rules: () => store.current(), incidents, metrics }).start();

  const app = await createHttpApp(
    RouterModule.with({ store, secret: config.OFFICER_JWT_SECRET, context, health, metrics }),
    { logger },
  );
  await app.listen(config.ROUTER_PORT, '0.0.0.0');
  const port = (app.getHttpServer().address() as { port: number }).port;
  return {
    port,
    db,
    urls: [`http://127.0.0.1:${port}/v1/admin/rules`],
    async stop() {
      await app.close();
      await bus.close();
      await db.destroy();
    },
  };
}
