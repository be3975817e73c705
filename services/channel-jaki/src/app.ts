import { Module, type DynamicModule } from '@nestjs/common';
import { ComplaintIntake, openChannelRuntime } from '@aduan/channel-sdk';
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
import { LocalDiskPhotoStorage, type PhotoStorage } from './photos/photo-storage';
import { PhotosController } from './photos/photos.controller';
import { Uploads } from './photos/uploads';
import { PushWebhook } from './push/push-webhook';
import { ApiKeys } from './reports/api-keys';
import { ReportsController, type JakiOptions } from './reports/reports.controller';
import { StatusClient } from './status/status-client';
import { JAKI_OPTIONS, KNOWN_CATEGORIES, PHOTO_STORAGE } from './tokens';

export const SERVICE = 'channel-jaki';

interface Providers {
  intake: ComplaintIntake;
  apiKeys: ApiKeys;
  storage: PhotoStorage;
  options: JakiOptions;
  health: HealthRegistry;
  metrics: Metrics;
}

@Module({})
class ChannelJakiModule {
  static with(p: Providers): DynamicModule {
    return {
      module: ChannelJakiModule,
      imports: [ObservabilityModule.forRoot({ health: p.health, metrics: p.metrics })],
      controllers: [ReportsController, PhotosController],
      providers: [
        { provide: ComplaintIntake, useValue: p.intake },
        { provide: ApiKeys, useValue: p.apiKeys },
        { provide: KNOWN_CATEGORIES, useValue: new Set(loadCategories().map((c) => c.name)) },
        { provide: PHOTO_STORAGE, useValue: p.storage },
        { provide: JAKI_OPTIONS, useValue: p.options },
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
  const pushUrl = config.JAKI_PUSH_WEBHOOK_URL;
  if (pushUrl && !config.JAKI_PUSH_SECRET)
    logger.warn('JAKI_PUSH_WEBHOOK_URL is set but JAKI_PUSH_SECRET is not: state changes are not pushed');

  const runtime = await openChannelRuntime(SERVICE, config, logger, ['aduan.complaint.received.v1']);
  const { metrics, health, store, bus, intake } = runtime;

  let push: PushWebhook | undefined;
  if (pushUrl && config.JAKI_PUSH_SECRET) {
    push = new PushWebhook(
      bus,
      store.deliveries,
      store.conversations,
      { url: pushUrl, secret: config.JAKI_PUSH_SECRET, groupId: `aduan.${SERVICE}.push` },
      metrics,
    );
    await push.start();
    health.register('push', () => push!.assertHealthy());
  }

  const storage = new LocalDiskPhotoStorage(
    config.JAKI_PHOTO_DIR,
    `${config.JAKI_PUBLIC_BASE_URL.replace(/\/$/, '')}/v1/photos`,
  );
  const options: JakiOptions = {
    uploads: new Uploads(config.JAKI_PHOTO_MAX_COUNT, config.JAKI_PHOTO_MAX_BYTES * 4),
    status: new StatusClient(config.STATUS_BASE_URL),
    conversations: store.conversations,
    photoMaxBytes: config.JAKI_PHOTO_MAX_BYTES,
    log: logger.child({ component: 'reports' }),
  };
  const app = await createHttpApp(
    ChannelJakiModule.with({ intake, apiKeys, storage, options, health, metrics }),
    {
      logger,
      jsonLimit: config.JAKI_MAX_BODY,
    },
  );
  await app.listen(config.JAKI_PORT, '0.0.0.0');
  const port = (app.getHttpServer().address() as { port: number }).port;
  return {
    port,
    urls: [`http://127.0.0.1:${port}/v1/reports`],
    async stop() {
      await app.close();
      await push?.stop();
      await runtime.close();
    },
  };
}
