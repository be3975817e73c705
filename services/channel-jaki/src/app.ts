import { Module, type DynamicModule } from '@nestjs/common';
import { busFromConfig } from '@aduan/bus';
import { ComplaintIntake } from '@aduan/channel-sdk';
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
import { loadCategories } from '@aduan/reference-data';
import { jakiSettings } from './config';
import { ApiKeys } from './reports/api-keys';
import { KNOWN_CATEGORIES, ReportsController } from './reports/reports.controller';

export const SERVICE = 'channel-jaki';

@Module({})
class ChannelJakiModule {
  static with(providers: { intake: ComplaintIntake; apiKeys: ApiKeys; health: HealthRegistry; metrics: Metrics }): DynamicModule {
    return {
      module: ChannelJakiModule,
      imports: [ObservabilityModule.forRoot({ health: providers.health, metrics: providers.metrics })],
      controllers: [ReportsController],
      providers: [
        { provide: ComplaintIntake, useValue: providers.intake },
        { provide: ApiKeys, useValue: providers.apiKeys },
        { provide: KNOWN_CATEGORIES, useValue: new Set(loadCategories().map((c) => c.name)) },
      ],
    };
  }
}

export async function startChannelJaki(
  env: NodeJS.ProcessEnv = process.env,
  logger: Logger = createLogger(SERVICE),
): Promise<RunningService & { port: number }> {
  const config = loadConfig(SERVICE, jakiSettings, env);
  logger.info('configuration', describeConfig(jakiSettings, config));
  const apiKeys = new ApiKeys(config.JAKI_API_KEYS);
  if (!apiKeys.enabled) logger.warn('JAKI_API_KEYS is not set: POST /v1/reports answers 503 until it is');

  const metrics = new Metrics(SERVICE);
  const health = new HealthRegistry();
  const bus = busFromConfig(SERVICE, config, logger, metrics);
  await bus.connect();
  await bus.ensureTopics(['aduan.complaint.received.v1']);
  health.register('kafka', () => bus.healthCheck());

  const intake = new ComplaintIntake(
    bus,
    { trackingSecret: config.TRACKING_CODE_SECRET, trackingUrlTemplate: config.PUBLIC_TRACKING_URL },
    metrics,
  );
  const app = await createHttpApp(ChannelJakiModule.with({ intake, apiKeys, health, metrics }), {
    logger,
    jsonLimit: config.JAKI_MAX_BODY,
  });
  await app.listen(config.JAKI_PORT, '0.0.0.0');
  const port = (app.getHttpServer().address() as { port: number }).port;
  return {
    port,
    urls: [`http://127.0.0.1:${port}/v1/reports`],
    async stop() {
      await app.close();
      await bus.close();
    },
  };
}
