import {
  defineChannel,
  MEDIA_STORE,
  MediaController,
  mediaPublicBaseUrl,
  PgMediaStore,
  runChannel,
  smsGatewayFrom,
  type RunOptions,
} from '@aduan/channel-sdk';
import { createLogger, officerVerifierFromSettings } from '@aduan/platform';
import { loadCategories } from '@aduan/reference-data';
import { createTransport } from 'nodemailer';
import { officerSettings } from './config';
import { contactSender, isEmail } from './contact/contact-sender';
import { ENTRY_DEPS, EntriesController, type EntryDeps } from './entries/entries.controller';
import { ENTRY_PHOTO_TYPES, EntryPhotosController } from './entries/entry-photos.controller';
import { ENTRY_CHANNELS } from './entries/entry-request';

/** Letters, walk-ins, phone calls and media items entered by CRM officers on a citizen's behalf. */
export const officer = defineChannel({
  service: 'channel-officer',
  channels: ENTRY_CHANNELS,
  settings: officerSettings,
  port: 'OFFICER_PORT',
  setup(ctx) {
    const sms = smsGatewayFrom(ctx.config);
    const mail = ctx.config.SMTP_URL ? createTransport(ctx.config.SMTP_URL) : undefined;
    // Photo links name this service's own port when nothing else is configured; 0 in tests.
    let port = ctx.config.OFFICER_PORT;
    const photos = new PgMediaStore(ctx.store.db, {
      publicBaseUrl: () => mediaPublicBaseUrl(ctx.config.MEDIA_PUBLIC_BASE_URL, port),
      maxBytes: ctx.config.MEDIA_MAX_BYTES,
      maxPixels: ctx.config.MEDIA_MAX_PIXELS,
      types: ENTRY_PHOTO_TYPES,
    });
    const deps: EntryDeps = {
      ctx,
      officerKeys: officerVerifierFromSettings(ctx.config, ctx.logger),
      categories: new Set(loadCategories().map((c) => c.name)),
      reaches: (address) => Boolean(isEmail(address) ? mail : sms),
      photos,
      photoTypes: ENTRY_PHOTO_TYPES,
    };
    return {
      api: {
        controllers: [EntriesController, EntryPhotosController, MediaController],
        providers: [
          { provide: ENTRY_DEPS, useValue: deps },
          { provide: MEDIA_STORE, useValue: photos },
        ],
        jsonLimit: '256kb',
      },
      send: contactSender(sms, mail, ctx.config.EMAIL_FROM),
      async start(listening) {
        port = listening.port;
      },
      urls: (base) => [
        `${base}/v1/officer/entries`,
        `${base}/v1/officer/entries/photos`,
        `${base}/health/ready`,
      ],
      stop: async () => mail?.close(),
    };
  },
});

export const startChannelOfficer = (
  env: NodeJS.ProcessEnv = process.env,
  logger = createLogger(officer.service),
  options?: RunOptions,
) => runChannel(officer, env, logger, options);
