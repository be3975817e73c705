import { Module, type DynamicModule } from '@nestjs/common';
import { PermanentError } from '@aduan/bus';
import { Acknowledgements, NotificationDelivery, openChannelRuntime, SmsGateway } from '@aduan/channel-sdk';
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
import { createTransport } from 'nodemailer';
import { officerSettings } from './config';
import { ContactSender } from './contact/contact-sender';
import { BackgroundSends } from './contact/retry-in-background';
import { ENTRY_DEPS, EntriesController, type EntryDeps } from './entries/entries.controller';

export const SERVICE = 'channel-officer';

@Module({})
class ChannelOfficerModule {
  static with(p: { deps: EntryDeps; health: HealthRegistry; metrics: Metrics }): DynamicModule {
    return {
      module: ChannelOfficerModule,
      imports: [ObservabilityModule.forRoot({ health: p.health, metrics: p.metrics })],
      controllers: [EntriesController],
      providers: [{ provide: ENTRY_DEPS, useValue: p.deps }],
    };
  }
}

export interface RunningOfficer extends RunningService {
  port: number;
  drainAcknowledgements(): Promise<void>;
}

export async function startChannelOfficer(
  env: NodeJS.ProcessEnv = process.env,
  logger: Logger = createLogger(SERVICE),
): Promise<RunningOfficer> {
  const config = loadConfig(SERVICE, officerSettings, env);
  logger.info('configuration', describeConfig(officerSettings, config));
  if (!config.OFFICER_JWT_SECRET)
    logger.warn('OFFICER_JWT_SECRET is not set: POST /v1/officer/entries answers 503 until it is');
  if (!config.SMS_GATEWAY_URL)
    logger.warn('SMS_GATEWAY_URL is not set: no acknowledgement or notification goes out by SMS');
  if (!config.SMTP_URL)
    logger.warn('SMTP_URL is not set: no acknowledgement or notification goes out by e-mail');

  const runtime = await openChannelRuntime(SERVICE, config, logger, [
    'aduan.complaint.received.v1',
    'aduan.notification.v1',
  ]);
  const { metrics, health, store, bus, intake } = runtime;

  const sms = config.SMS_GATEWAY_URL
    ? new SmsGateway({
        url: config.SMS_GATEWAY_URL,
        token: config.SMS_GATEWAY_TOKEN,
        senderId: config.SMS_SENDER_ID,
      })
    : undefined;
  const mail = config.SMTP_URL ? createTransport(config.SMTP_URL) : undefined;
  const sender = new ContactSender(sms, mail, config.EMAIL_FROM);
  const background = new BackgroundSends(logger.child({ component: 'acknowledgements' }));

  // Media items have no reply address; the status service sends them no notifications.
  const notifications = new NotificationDelivery({
    bus,
    deliveries: store.deliveries,
    channels: ['letter', 'walk_in', 'phone'],
    groupId: `aduan.${SERVICE}.notifications`,
    send: async (n, { deliveryId }) => {
      if (!n.recipient) throw new PermanentError('NO_RECIPIENT', 'notification names no recipient');
      return sender.send(
        n.recipient.address,
        { subject: `Laporan ${n.trackingCode}`, text: n.message },
        deliveryId,
      );
    },
    metrics,
  });
  await notifications.start();
  health.register('notifications', () => notifications.assertHealthy());

  const deps: EntryDeps = {
    jwtSecret: config.OFFICER_JWT_SECRET,
    intake,
    acks: new Acknowledgements(store.deliveries, metrics),
    sender,
    background,
    categories: new Set(loadCategories().map((c) => c.name)),
    log: logger.child({ component: 'entries' }),
  };
  const app = await createHttpApp(ChannelOfficerModule.with({ deps, health, metrics }), {
    logger,
    jsonLimit: '256kb',
  });
  await app.listen(config.OFFICER_PORT, '0.0.0.0');
  const port = (app.getHttpServer().address() as { port: number }).port;
  return {
    port,
    urls: [`http://127.0.0.1:${port}/v1/officer/entries`],
    drainAcknowledgements: () => background.drain(),
    async stop() {
      await app.close();
      await background.stop();
      await notifications.stop();
      mail?.close();
      await runtime.close();
    },
  };
}
