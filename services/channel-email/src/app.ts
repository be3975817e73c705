import { Module, type DynamicModule } from '@nestjs/common';
import {
  Acknowledgements,
  NotificationDelivery,
  openChannelRuntime,
  type ChannelStore,
} from '@aduan/channel-sdk';
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
import { LocalDiskStorage } from './attachments/attachment-storage';
import { emailSettings } from './config';
import { MailboxWatcher } from './imap/mailbox-watcher';
import { MailIntake } from './mail/mail-intake';
import { MailSender } from './smtp/mail-sender';
import { notificationMailSender } from './smtp/notification-mail';

export const SERVICE = 'channel-email';
/** Explicit and stable: the committed position of notification delivery lives here. */
export const NOTIFICATION_GROUP = 'aduan.channel-email.notifications';

@Module({})
class ChannelEmailModule {
  static with(deps: { health: HealthRegistry; metrics: Metrics }): DynamicModule {
    return { module: ChannelEmailModule, imports: [ObservabilityModule.forRoot(deps)] };
  }
}

export interface ChannelEmailService extends RunningService {
  port: number;
  store: ChannelStore;
}

function addressOf(from: string): string {
  return (/<([^>]+)>/.exec(from)?.[1] ?? from).trim().toLowerCase();
}

export async function startChannelEmail(
  env: NodeJS.ProcessEnv = process.env,
  logger: Logger = createLogger(SERVICE),
): Promise<ChannelEmailService> {
  const config = loadConfig(SERVICE, emailSettings, env);
  logger.info('configuration', describeConfig(emailSettings, config));
  const runtime = await openChannelRuntime(SERVICE, config, logger, [
    'aduan.complaint.received.v1',
    'aduan.complaint.followup.v1',
    'aduan.notification.v1',
  ]);
  const { metrics, health, store, bus, intake, followUps } = runtime;
  const stops: Array<() => Promise<void> | void> = [() => runtime.close()];
  try {
    const trackingUrlFor = (code: string) => config.PUBLIC_TRACKING_URL.replace('{code}', code);
    const acks = new Acknowledgements(store.deliveries, metrics);
    const domain = MailSender.domainOf(config.EMAIL_FROM);

    let sender: MailSender | undefined;
    if (config.SMTP_URL) {
      const smtp = new MailSender(config.SMTP_URL, config.EMAIL_FROM);
      sender = smtp;
      stops.unshift(() => smtp.close());
      const delivery = new NotificationDelivery({
        bus,
        deliveries: store.deliveries,
        conversations: store.conversations,
        channels: ['email'],
        groupId: NOTIFICATION_GROUP,
        send: notificationMailSender(smtp, domain, trackingUrlFor),
        metrics,
        retryBaseMs: config.EMAIL_RETRY_BASE_MS,
      });
      await delivery.start();
      stops.unshift(() => delivery.stop());
    } else {
      logger.warn('SMTP_URL is not set: no acknowledgements or notifications are sent by e-mail until it is');
    }

    if (config.IMAP_URL) {
      const mailIntake = new MailIntake({
        intake,
        followUps,
        store,
        acks,
        sender,
        storage: new LocalDiskStorage(config.EMAIL_ATTACHMENT_DIR),
        policy: { maxBytes: config.EMAIL_MAX_ATTACHMENT_BYTES, types: config.EMAIL_ATTACHMENT_TYPES },
        ownAddress: addressOf(config.EMAIL_FROM),
        messageIdDomain: domain,
        trackingUrlFor,
        logger: logger.child({ component: 'mail-intake' }),
        metrics,
      });
      const watcher = new MailboxWatcher({
        imapUrl: config.IMAP_URL,
        cursors: store.cursors,
        onMessage: async (m) => void (await mailIntake.handle(m)),
        logger: logger.child({ component: 'imap' }),
        reconnectMaxMs: config.EMAIL_RECONNECT_MAX_MS,
      });
      watcher.start();
      stops.unshift(() => watcher.stop());
      health.register('imap', () => watcher.assertHealthy());
    } else {
      logger.warn('IMAP_URL is not set: e-mail intake is disabled until it is');
    }

    const app = await createHttpApp(ChannelEmailModule.with({ health, metrics }), { logger });
    await app.listen(config.EMAIL_PORT, '0.0.0.0');
    stops.unshift(() => app.close());
    const port = (app.getHttpServer().address() as { port: number }).port;
    return {
      port,
      store,
      urls: [`http://127.0.0.1:${port}/health/ready`, `http://127.0.0.1:${port}/metrics`],
      async stop() {
        // In order: stop reading mail and notifications, then the HTTP server, Kafka, SMTP, database.
        for (const stop of stops.splice(0)) await stop();
      },
    };
  } catch (err) {
    // Start-up failed: release what was opened, keeping the original error as the one reported.
    for (const stop of stops.splice(0)) await Promise.resolve(stop()).catch(() => undefined);
    throw err;
  }
}
