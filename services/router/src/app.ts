import { busFromConfig } from '@aduan/bus';
import { databaseHealth, openDatabase } from '@aduan/persistence';
import {
  createLogger,
  officerVerifierFromSettings,
  openServiceShell,
  serveHttp,
  type Logger,
  type RunningService,
} from '@aduan/platform';
import { createRoutingContext, defaultRules, loadRoutingKnowledge } from '@aduan/routing';
import type { DataSource } from 'typeorm';
import { OFFICER_KEYS, ROUTING_CONTEXT, RulesController } from './admin/rules.controller';
import { routerSettings } from './config';
import { migrations } from './database/migrations';
import { PgIncidentIndex } from './routing/pg-incident-index';
import { subscribeRouter } from './routing/router-consumer';
import { RecentInputs } from './rules/recent-inputs';
import { RuleStore } from './rules/rule-store';

export const SERVICE = 'router';

export interface RouterService extends RunningService {
  port: number;
  db: DataSource;
}

export async function startRouter(
  env: NodeJS.ProcessEnv = process.env,
  logger: Logger = createLogger(SERVICE),
): Promise<RouterService> {
  const { config, metrics, health } = openServiceShell(SERVICE, routerSettings, env, logger);

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
  const recent = new RecentInputs(db, knowledge.unitNames);
  await subscribeRouter({ bus, context, rules: () => store.current(), incidents, recent, metrics }).start();

  const { app, port, base } = await serveHttp(
    {
      health,
      metrics,
      controllers: [RulesController],
      providers: [
        { provide: RuleStore, useValue: store },
        { provide: OFFICER_KEYS, useValue: officerVerifierFromSettings(config, logger) },
        { provide: ROUTING_CONTEXT, useValue: context },
        { provide: RecentInputs, useValue: recent },
      ],
    },
    { logger, port: config.ROUTER_PORT },
  );
  return {
    port,
    db,
    urls: [`${base}/v1/admin/rules`],
    async stop() {
      await app.close();
      await bus.close();
      await db.destroy();
    },
  };
}
