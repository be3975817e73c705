import {
  defineChannel,
  MEDIA_STORE,
  MediaController,
  mediaPublicBaseUrl,
  PgMediaStore,
  runChannel,
  type ChannelContext,
} from '@aduan/channel-sdk';
import { createLogger, type Logger } from '@aduan/platform';
import { loadCategories } from '@aduan/reference-data';
import { jakiSettings } from './config';
import { PHOTO_TYPES, Uploads } from './photos';
import { statePush } from './push';
import { ApiKeys } from './reports/api-keys';
import { JAKI_API, ReportsController, type JakiApi } from './reports/reports.controller';
import { StatusClient } from './status-client';

export const SERVICE = 'channel-jaki';

/** The JAKI app's API: reports with photos, the JakRespon view, and state changes pushed back. */
export const jaki = defineChannel({
  service: SERVICE,
  channels: ['jaki'],
  settings: jakiSettings,
  port: 'JAKI_PORT',
  setup(ctx) {
    const { config } = ctx;
    let port = config.JAKI_PORT;
    const media = new PgMediaStore(ctx.store.db, {
      // The port is known only once the runner listens (0 in tests).
      publicBaseUrl: () =>
        mediaPublicBaseUrl(config.JAKI_PUBLIC_BASE_URL ?? config.MEDIA_PUBLIC_BASE_URL, port),
      maxBytes: config.JAKI_PHOTO_MAX_BYTES,
      maxPixels: config.MEDIA_MAX_PIXELS,
      types: PHOTO_TYPES,
    });
    const api: JakiApi = {
      ctx: ctx as ChannelContext<unknown>,
      apiKeys: new ApiKeys(config.JAKI_API_KEYS),
      categories: new Set(loadCategories().map((c) => c.name)),
      uploads: new Uploads(config.JAKI_PHOTO_MAX_COUNT, config.JAKI_PHOTO_MAX_BYTES * 4),
      media,
      status: new StatusClient(config.STATUS_BASE_URL),
      legacyPhotoDir: config.JAKI_PHOTO_DIR,
    };
    const { JAKI_PUSH_WEBHOOK_URL: pushUrl, JAKI_PUSH_SECRET: pushSecret } = config;
    if (pushUrl && !pushSecret)
      ctx.logger.warn(
        'JAKI_PUSH_WEBHOOK_URL is set but JAKI_PUSH_SECRET is not: state changes are not pushed',
      );
    const push =
      pushUrl && pushSecret ? statePush(ctx as ChannelContext<unknown>, pushUrl, pushSecret) : undefined;
    return {
      api: {
        controllers: [ReportsController, MediaController],
        providers: [
          { provide: JAKI_API, useValue: api },
          { provide: MEDIA_STORE, useValue: media },
        ],
        jsonLimit: config.JAKI_MAX_BODY,
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
