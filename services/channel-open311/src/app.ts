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
import { open311Settings } from './config';
import { ClientKeys } from './georeport/client-keys';
import { ERROR_LOG, GeoReportErrors } from './georeport/errors';
import { GeoReportController, OPEN311_API } from './georeport/georeport.controller';
import { LookupLimiter } from './georeport/lookup-limiter';
import { PHOTO_TYPES } from './georeport/media-url';
import { ServiceCatalogue } from './georeport/services';
import { StatusLists } from './georeport/status-client';

export const SERVICE = 'channel-open311';

/** What the GeoReport controller works with. */
function open311Api(ctx: ChannelContext<ChannelConfig<typeof open311Settings>>, port: () => number) {
  const { config } = ctx;
  const publicBaseUrl = () =>
    mediaPublicBaseUrl(config.OPEN311_PUBLIC_BASE_URL ?? config.MEDIA_PUBLIC_BASE_URL, port());
  return {
    ctx: ctx as ChannelContext<unknown>,
    keys: new ClientKeys(config.OPEN311_API_KEYS),
    lookups: new LookupLimiter(config.OPEN311_LOOKUPS_PER_MINUTE),
    // Posts are counted in PostgreSQL, so every instance shares the allowance (ADR 0056).
    posts: {
      limits: new RateLimits(ctx.store.db, config.TRACKING_CODE_SECRET),
      perKey: {
        name: 'open311:posts-per-key',
        max: config.OPEN311_REQUESTS_PER_KEY_PER_MINUTE,
        windowMs: 60_000,
      },
      perIp: {
        name: 'open311:posts-per-ip',
        max: config.OPEN311_REQUESTS_PER_IP_PER_MINUTE,
        windowMs: 60_000,
      },
    },
    services: new ServiceCatalogue(),
    status: config.STATUS_BASE_URL ? new StatusLists(config.STATUS_BASE_URL) : null,
    jurisdictionId: config.OPEN311_JURISDICTION_ID,
    contact: config.OPEN311_CONTACT,
    publicBaseUrl: () => (config.OPEN311_PUBLIC_BASE_URL ?? publicBaseUrl()).replace(/\/+$/, ''),
    media: new PgMediaStore(ctx.store.db, {
      publicBaseUrl,
      maxBytes: config.OPEN311_MEDIA_MAX_BYTES,
      maxPixels: config.MEDIA_MAX_PIXELS,
      types: PHOTO_TYPES,
    }),
  };
}
export type Open311Api = ReturnType<typeof open311Api>;

/**
 * Open311 GeoReport v2 (ADR 0051): civic apps built for the standard list the city's services,
 * post requests on channel `open311` and follow them.
 */
export const open311 = defineChannel({
  service: SERVICE,
  channels: ['open311'],
  settings: open311Settings,
  port: 'OPEN311_PORT',
  setup(ctx) {
    // Links name this service's own port when nothing else is configured; 0 in tests.
    let port = ctx.config.OPEN311_PORT;
    const api = open311Api(ctx, () => port);
    return {
      api: {
        controllers: [GeoReportController, MediaController],
        providers: [
          { provide: OPEN311_API, useValue: api },
          { provide: ERROR_LOG, useValue: ctx.logger },
          { provide: MEDIA_STORE, useValue: api.media },
          GeoReportErrors,
        ],
      },
      // Clients follow their requests by polling the API; nothing is sent to them.
      notifications: false,
      async start(listening) {
        port = listening.port;
      },
      urls: (base) => [`${base}/open311/v2/discovery.json`, `${base}/open311/v2/services.xml`],
    };
  },
});

export const startChannelOpen311 = (
  env: NodeJS.ProcessEnv = process.env,
  logger: Logger = createLogger(SERVICE),
) => runChannel(open311, env, logger);
