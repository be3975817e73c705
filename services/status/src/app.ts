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
import { DataSource } from 'typeorm';
import { statusSettings } from './config';
import { migrations } from './database/migrations';
import { subscribeIntake } from './intake/intake-consumer';
import { OutboxRelay } from './outbox/outbox-relay';
import { PublicController } from './public/public.controller';
import { ReportStore } from './reports/report-store';

export const SERVICE = 'status';

@Module({})
class StatusModule {
  static with(deps: { db: DataSource; health: HealthRegistry; metrics: Metrics }): DynamicModule {
    return {
      module: StatusModule,
      imports: [ObservabilityModule.forRoot({ health: deps.health, metrics: deps.metrics })],
      controllers: [PublicController],
      providers: [{ provide: DataSource, useValue: deps.db }],
    };
  }
}

export interface StatusService extends RunningService {
  port: number;
  db: DataSource;
  relay: OutboxRelay;
}

export async function startStatus(env: NodeJS.ProcessEnv = process.env, logger: Logger = createLogger(SERVICE)): Promise<StatusService> {
  const config = loadConfig(SERVICE, statusSettings, env);
  logger.info('configuration', describeConfig(statusSettings, config));
  const metrics = new Metrics(SERVICE);
  const health = new HealthRegistry();

  const db = await openDatabase({ url: config.DATABASE_URL, entities: [], migrations, migrationsTableName: 'status_migrations', logger });
  health.register('database', () => databaseHealth(db));

  const bus = busFromConfig(SERVICE, config, logger, metrics);
  await bus.connect();
  await bus.ensureTopics([
    'aduan.complaint.received.v1',
    'aduan.complaint.routed.v1',
    'aduan.report.lifecycle.v1',
    'aduan.report.state.v1',
    'aduan.notification.v1',
  ]);
  health.register('kafka', () => bus.healthCheck());

  const relay = new OutboxRelay(db, bus, logger.child({ component: 'outbox' }));
  const store = new ReportStore(db);
  await subscribeIntake(bus, store, () => relay.kick()).start();
  relay.start();

  const app = await createHttpApp(StatusModule.with({ db, health, metrics }), { logger });
  await app.listen(config.STATUS_PORT, '0.0.0.0');
  const port = (app.getHttpServer().address() as { port: number }).port;
  return {
    port,
    db,
    relay,
    urls: [`http://127.0.0.1:${port}/v1/public/reports/{trackingCode}`],
    async stop() {
      await app.close();
      // The relay goes before the producer it publishes with; whatever it leaves in the
      // outbox is sent at the next start.
      await relay.stop();
      await bus.close();
      await db.destroy();
    },
  };
}
