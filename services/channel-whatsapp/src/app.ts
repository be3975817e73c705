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
import { CloudApi } from './cloud/cloud-api';
import {
  CLOUD_WEBHOOK,
  WhatsappWebhookController,
  type CloudWebhookDeps,
} from './cloud/whatsapp-webhook.controller';
import { whatsappSettings } from './config';
import { MessageIntake, type MessageIntakeOptions } from './inbound/message-intake';
import { notificationSender, sendSms } from './notifications';
import { SMS_WEBHOOK, SmsWebhookController, type SmsWebhookDeps } from './sms/sms-webhook.controller';
import { WebClient, webClientOptions } from './web/web-client';

export const SERVICE = 'channel-whatsapp';

@Module({})
class ChannelWhatsappModule {
  static with(p: {
    cloud: CloudWebhookDeps;
    sms: SmsWebhookDeps;
    health: HealthRegistry;
    metrics: Metrics;
  }): DynamicModule {
    return {
      module: ChannelWhatsappModule,
      imports: [ObservabilityModule.forRoot({ health: p.health, metrics: p.metrics })],
      controllers: [WhatsappWebhookController, SmsWebhookController],
      providers: [
        { provide: CLOUD_WEBHOOK, useValue: p.cloud },
        { provide: SMS_WEBHOOK, useValue: p.sms },
      ],
    };
  }
}

export interface RunningWhatsapp extends RunningService {
  port: number;
  /** Resolves once every reply queued so far was sent or given up (tests). */
  drainReplies(): Promise<void>;
}

export async function startChannelWhatsapp(
  env: NodeJS.ProcessEnv = process.env,
  logger: Logger = createLogger(SERVICE),
): Promise<RunningWhatsapp> {
  const config = loadConfig(SERVICE, whatsappSettings, env);
  logger.info('configuration', describeConfig(whatsappSettings, config));
  const cloudMode = config.WHATSAPP_MODE === 'cloud';
  // Checked before anything connects, so a web-mode misconfiguration fails fast and says why.
  const webOptions = cloudMode
    ? undefined
    : webClientOptions({
        sessionDir: config.WHATSAPP_WEB_SESSION_DIR,
        chromiumPath: config.WHATSAPP_WEB_CHROMIUM_PATH,
      });
  if (cloudMode && !config.WHATSAPP_APP_SECRET)
    logger.warn('WHATSAPP_APP_SECRET is not set: POST /webhooks/whatsapp answers 503 until it is');
  if (cloudMode && !config.WHATSAPP_VERIFY_TOKEN)
    logger.warn('WHATSAPP_VERIFY_TOKEN is not set: the webhook handshake is refused');
  if (cloudMode && !config.WHATSAPP_ACCESS_TOKEN)
    logger.warn('WHATSAPP_ACCESS_TOKEN is not set: no WhatsApp replies or media lookups');
  if (!config.SMS_WEBHOOK_AUTH_TOKEN)
    logger.warn('SMS_WEBHOOK_AUTH_TOKEN is not set: POST /webhooks/sms answers 503 until it is');
  if (!config.SMS_GATEWAY_URL) logger.warn('SMS_GATEWAY_URL is not set: no SMS is sent');

  const runtime = await openChannelRuntime(SERVICE, config, logger, [
    'aduan.complaint.received.v1',
    'aduan.complaint.followup.v1',
    'aduan.notification.v1',
  ]);
  const { metrics, health, store, bus, intake, followUps } = runtime;
  const api = new CloudApi(config.WHATSAPP_API_BASE_URL, config.WHATSAPP_ACCESS_TOKEN);
  const sms = config.SMS_GATEWAY_URL
    ? new SmsGateway({
        url: config.SMS_GATEWAY_URL,
        token: config.SMS_GATEWAY_TOKEN,
        senderId: config.SMS_SENDER_ID,
      })
    : undefined;
  let web: WebClient | undefined;

  const sendWhatsapp = async (
    to: string,
    text: string,
    phoneNumberId: string | undefined,
  ): Promise<string | undefined> => {
    if (web) return web.sendText(to, text);
    const from = phoneNumberId ?? config.WHATSAPP_PHONE_NUMBER_ID;
    if (!from)
      throw new PermanentError(
        'WHATSAPP_NO_SENDER',
        'no phone number id to send from: set WHATSAPP_PHONE_NUMBER_ID',
      );
    return api.sendText(from, to, text);
  };

  const shared: MessageIntakeOptions = {
    intake,
    followUps,
    conversations: store.conversations,
    acks: new Acknowledgements(store.deliveries, metrics),
    windowMs: config.CONVERSATION_WINDOW_MINUTES * 60_000,
    trackingUrl: (code) => config.PUBLIC_TRACKING_URL.replace('{code}', code),
    log: logger.child({ component: 'intake' }),
  };
  const whatsappIntake = new MessageIntake(
    shared,
    (m, message) => sendWhatsapp(m.from, message.text, m.replyVia),
    'long',
  );
  const smsIntake = new MessageIntake(
    shared,
    (m, message, deliveryId) => sendSms(sms, m.from, message.text, deliveryId),
    'short',
  );

  const notifications = new NotificationDelivery({
    bus,
    deliveries: store.deliveries,
    conversations: store.conversations,
    channels: ['whatsapp', 'sms'],
    groupId: `aduan.${SERVICE}.notifications`,
    send: notificationSender({ whatsapp: sendWhatsapp, sms }, config.WHATSAPP_PHONE_NUMBER_ID),
    metrics,
  });
  await notifications.start();
  health.register('notifications', () => notifications.assertHealthy());

  if (webOptions) {
    web = new WebClient(
      webOptions,
      config.WHATSAPP_MEDIA_MAX_BYTES,
      logger.child({ component: 'whatsapp-web' }),
      (m) => whatsappIntake.handle(m),
    );
    health.register('whatsapp-web', () => web!.assertReady());
    web.start();
  }

  const app = await createHttpApp(
    ChannelWhatsappModule.with({
      cloud: {
        appSecret: cloudMode ? config.WHATSAPP_APP_SECRET : undefined,
        verifyToken: cloudMode ? config.WHATSAPP_VERIFY_TOKEN : undefined,
        api,
        intake: whatsappIntake,
        maxMediaBytes: config.WHATSAPP_MEDIA_MAX_BYTES,
        log: logger.child({ component: 'whatsapp-webhook' }),
      },
      sms: {
        authToken: config.SMS_WEBHOOK_AUTH_TOKEN,
        publicUrl: config.SMS_WEBHOOK_PUBLIC_URL,
        intake: smsIntake,
        log: logger.child({ component: 'sms-webhook' }),
      },
      health,
      metrics,
    }),
    { logger, rawBodyPaths: ['/webhooks'], rawLimit: '1mb' },
  );
  await app.listen(config.WHATSAPP_PORT, '0.0.0.0');
  const port = (app.getHttpServer().address() as { port: number }).port;
  return {
    port,
    urls: [`http://127.0.0.1:${port}/webhooks/whatsapp`, `http://127.0.0.1:${port}/webhooks/sms`],
    drainReplies: async () => {
      await whatsappIntake.drain();
      await smsIntake.drain();
    },
    async stop() {
      await app.close();
      await whatsappIntake.stop();
      await smsIntake.stop();
      await notifications.stop();
      await web?.stop();
      await runtime.close();
    },
  };
}
