import {
  defineChannel,
  MEDIA_STORE,
  MediaController,
  mediaPublicBaseUrl,
  PgMediaStore,
  RateLimits,
  runChannel,
  type ChannelConfig,
  type ChannelContext,
} from '@aduan/channel-sdk';
import { createLogger, type Logger } from '@aduan/platform';
import { loadCategories } from '@aduan/reference-data';
import { jakiSettings } from './config';
import { multipartReader, PHOTO_TYPES } from './photos';
import { statePush } from './push';
import { ApiKeys } from './reports/api-keys';
import { JAKI_API, ReportsController } from './reports/reports.controller';

export const SERVICE = 'channel-jaki';

/** What the API's controller works with. */
function jakiApi(ctx: ChannelContext<ChannelConfig<typeof jakiSettings>>, port: () => number) {
  const { config } = ctx;
  return {
    ctx: ctx as ChannelContext<unknown>,
    apiKeys: new ApiKeys(config.JAKI_API_KEYS),
    // Counted in PostgreSQL, so every instance shares the allowance (ADR 0056).
    limits: new RateLimits(ctx.store.db, config.TRACKING_CODE_SECRET, ctx.store.coalescing),
    perIp: { name: 'jaki:reports-per-ip', max: config.JAKI_REQUESTS_PER_IP_PER_MINUTE, windowMs: 60_000 },
    perKey: { name: 'jaki:reports-per-key', max: config.JAKI_REQUESTS_PER_KEY_PER_MINUTE, windowMs: 60_000 },
    categories: new Set(loadCategories().map((c) => c.name)) as ReadonlySet<string>,
    readMultipart: multipartReader(config.JAKI_PHOTO_MAX_COUNT, config.JAKI_PHOTO_MAX_BYTES * 4),
    media: new PgMediaStore(ctx.store.db, {
      publicBaseUrl: () =>
        mediaPublicBaseUrl(config.JAKI_PUBLIC_BASE_URL ?? config.MEDIA_PUBLIC_BASE_URL, port()),
      maxBytes: config.JAKI_PHOTO_MAX_BYTES,
      maxPixels: config.MEDIA_MAX_PIXELS,
      types: PHOTO_TYPES,
    }),
    statusBaseUrl: config.STATUS_BASE_URL,
    legacyPhotoDir: config.JAKI_PHOTO_DIR,
  };
}
export type JakiApi = ReturnType<typeof jakiApi>;

/** The JAKI app's API: reports with photos, the JakRespon view, and state changes pushed back. */
export const jaki = defineChannel({
  service: SERVICE,
  channels: ['jaki'],
  settings: jakiSettings,
  port: 'JAKI_PORT',
  setup(ctx) {
    // Photo links name this service's own port when nothing else is configured; 0 in tests.
    let port = ctx.config.JAKI_PORT;
    const api = jakiApi(ctx, () => port);
    const { JAKI_PUSH_WEBHOOK_URL: pushUrl, JAKI_PUSH_SECRET: pushSecret } = ctx.config;
    const push = pushUrl && pushSecret ? statePush(api.ctx, pushUrl, pushSecret) : undefined;
    return {
      api: {
        controllers: [ReportsController, MediaController],
        providers: [
          { provide: JAKI_API, useValue: api },
          { provide: MEDIA_STORE, useValue: api.media },
        ],
        jsonLimit: ctx.config.JAKI_MAX_BODY,
      },
      // The app hears of its reports by push; citizen notifications are not for this channel.
      notifications: false,
      ...(push ? { send: push.send, stop: push.stop } : {}),
      async start(listening) {
        port = listening.port;
        await push?.start();
      },
      urls: (base) => [`${base}/v1/reports`],
    };
  },
});

export const startChannelJaki = (
  env: NodeJS.ProcessEnv = process.env,
  logger: Logger = createLogger(SERVICE),
) => runChannel(jaki, env, logger);
