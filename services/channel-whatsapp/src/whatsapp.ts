import {
  defineChannel,
  runChannel,
  formParams,
  IMAGE_TYPES,
  MEDIA_STORE,
  MediaController,
  mediaPublicBaseUrl,
  metaHandshake,
  PermanentError,
  PgMediaStore,
  smsGatewayFrom,
  verifiers,
  WebhookRefused,
  type ChannelConfig,
  type ChannelContext,
  type SendRequest,
} from '@aduan/channel-sdk';
import { createLogger, officerVerifierFromSettings, type Logger } from '@aduan/platform';
import * as qrcode from 'qrcode-terminal';
import { CloudApi, type Template } from './cloud/cloud-api';
import { cloudItems, draftOf, receiptOf, type CloudItem } from './cloud/webhook';
import { whatsappSettings } from './config';
import { toInbound, type Draft } from './inbound';
import { parseSmsForm, type ParsedSms } from './sms/sms-form';
import { ChatIntake } from './web/chat-intake';
import { PAIRING_DEPS, PairingController } from './web/pairing.controller';
import { libraryClients, webClientOptions, type WebClientFactory } from './web/web-client';
import { normalizeWebMessage, type WebMessageLike } from './web/web-message';
import { WebSession } from './web/web-session';

const DAY = 24 * 3_600_000;
type SmsItem = { form: unknown; parsed: ParsedSms };
const TRACKING_CODE = /[2-9A-HJKMNP-TV-Z]{5}-[2-9A-HJKMNP-TV-Z]{5}/;
// We answer by our own gateway call, so the TwiML answer is empty: no second, unlogged reply.
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

const off = (setting: string, what: string) => (): never => {
  throw new WebhookRefused(503, `${what} is disabled: ${setting} is not set`);
};
const webOptions = (c: { WHATSAPP_WEB_SESSION_DIR: string; WHATSAPP_WEB_CHROMIUM_PATH: string }) =>
  webClientOptions({ sessionDir: c.WHATSAPP_WEB_SESSION_DIR, chromiumPath: c.WHATSAPP_WEB_CHROMIUM_PATH });

type WhatsappConfig = ChannelConfig<typeof whatsappSettings>;

export interface WhatsappDeps {
  /**
   * Web mode's clients. Default: whatsapp-web.js on Chromium; tests pass a stand-in of the
   * library's client through the same factory.
   */
  webClients?: (config: WhatsappConfig) => WebClientFactory;
}

/**
 * WhatsApp (Cloud API webhooks, or a plain number through whatsapp-web.js) and SMS (a
 * Twilio-style gateway): one conversation per phone number, replies on the channel it wrote on.
 */
export const whatsappChannel = (deps: WhatsappDeps = {}) =>
  defineChannel({
    service: 'channel-whatsapp',
    channels: ['whatsapp', 'sms'],
    settings: whatsappSettings,
    port: 'WHATSAPP_PORT',
    // A web-mode misconfiguration fails before anything connects, and says why.
    preflight: (config) => void (config.WHATSAPP_MODE === 'web' && !deps.webClients && webOptions(config)),
    setup(ctx) {
      const cfg = ctx.config;
      const officerKeys = officerVerifierFromSettings(cfg, ctx.logger);
      const cloudMode = cfg.WHATSAPP_MODE === 'cloud';
      let port = cfg.WHATSAPP_PORT;
      const media = new PgMediaStore(ctx.store.db, {
        publicBaseUrl: () => mediaPublicBaseUrl(cfg.MEDIA_PUBLIC_BASE_URL, port),
        maxBytes: cfg.MEDIA_MAX_BYTES,
        maxPixels: cfg.MEDIA_MAX_PIXELS,
        types: IMAGE_TYPES,
      });
      const api = new CloudApi(cfg.WHATSAPP_API_BASE_URL, cfg.WHATSAPP_ACCESS_TOKEN);
      const sms = smsGatewayFrom(cfg);
      if (!sms) ctx.logger.warn('SMS_GATEWAY_URL is not set: no SMS is sent');
      const windowMs = cfg.CONVERSATION_WINDOW_MINUTES * 60_000;
      const rules = {
        whatsapp: ctx.conversationRules({ windowMs }),
        sms: ctx.conversationRules({ windowMs, style: () => 'short' }),
      };
      const take = async (d: Draft) => rules[d.channel].handle(await toInbound(d, media));
      const web = cloudMode ? undefined : webSession(ctx, deps, take, media.limits.maxBytes);

      /** Outside the 24-hour window Meta delivers only approved templates (docs/whatsapp-templates.md). */
      function templateFor(r: SendRequest): Template {
        const code =
          TRACKING_CODE.exec(r.message.subject)?.[0] ?? TRACKING_CODE.exec(r.message.text)?.[0] ?? '-';
        const ack = r.kind === 'acknowledgement';
        // Meta refuses parameters with line breaks, tabs or more than four spaces in a row.
        const news = r.message.text.replace(/\s+/g, ' ').trim().slice(0, 900);
        return {
          name: ack ? cfg.WHATSAPP_TEMPLATE_ACKNOWLEDGEMENT : cfg.WHATSAPP_TEMPLATE_NOTIFICATION,
          language: cfg.WHATSAPP_TEMPLATE_LANGUAGE,
          parameters: [code, ack && code !== '-' ? ctx.trackingUrl(code) : news],
        };
      }

      async function send(r: SendRequest, log: Logger): Promise<string | undefined> {
        if (r.channel === 'sms') {
          if (!sms)
            throw new PermanentError('SMS_NOT_CONFIGURED', 'SMS_GATEWAY_URL is not set: cannot send SMS');
          const sent = await sms.send(r.to.address, r.message.text, r.deliveryId);
          return sent.providerMessageIds.join(',') || undefined;
        }
        if (web) return web.sendText(r.to.address, r.message.text);
        // The number that received the report answers it, so the citizen sees one conversation.
        const from = r.to.thread ?? cfg.WHATSAPP_PHONE_NUMBER_ID;
        if (!from)
          throw new PermanentError('WHATSAPP_NO_SENDER', 'set WHATSAPP_PHONE_NUMBER_ID to send from');
        if (r.lastInboundAt && Date.now() - r.lastInboundAt.getTime() < DAY)
          return api.sendText(from, r.to.address, r.message.text);
        const template = templateFor(r);
        log.info('outside the 24-hour window: sent as a template', { template: template.name });
        return api.sendTemplate(from, r.to.address, template);
      }

      async function receipt(item: Extract<CloudItem, { kind: 'status' }>, log: Logger): Promise<void> {
        const r = receiptOf(item.status);
        if (!r) return;
        // The outbox tells officers (aduan.delivery.outcome.v1); operators see it in the log.
        const view = await ctx.outbox.recordReceipt('whatsapp', item.status.id, r.status, r.error);
        if (view && r.status === 'failed')
          log.warn('message not delivered', { deliveryId: view.deliveryId, kind: view.kind, error: r.error });
      }

      const smsToken = cfg.SMS_WEBHOOK_AUTH_TOKEN;
      const appSecret = cloudMode ? cfg.WHATSAPP_APP_SECRET : undefined;
      const verifyToken = cloudMode ? cfg.WHATSAPP_VERIFY_TOKEN : undefined;
      const skipped = (type: string) => ctx.logger.info('message type not taken as a complaint', { type });
      return {
        webhooks: [
          {
            name: 'whatsapp',
            verify: appSecret
              ? verifiers.metaSignature(appSecret)
              : off('WHATSAPP_APP_SECRET', 'WhatsApp intake'),
            handshake: verifyToken
              ? metaHandshake(verifyToken)
              : off('WHATSAPP_VERIFY_TOKEN', 'the WhatsApp webhook handshake'),
            parse: (req) => cloudItems(req, skipped),
            idOf: (item: CloudItem) =>
              item.kind === 'message' ? item.message.id : `status:${item.status.id}`,
            handle: async (item: CloudItem, log) => {
              if (item.kind === 'status') return receipt(item, log);
              await take(draftOf(item, api, media.limits.maxBytes));
            },
          },
          {
            name: 'sms',
            channel: 'sms',
            verify: smsToken
              ? verifiers.twilioSignature(smsToken, (req) => cfg.SMS_WEBHOOK_PUBLIC_URL ?? req.url)
              : off('SMS_WEBHOOK_AUTH_TOKEN', 'SMS intake'),
            parse: (req) => {
              if (!String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded'))
                throw new WebhookRefused(415, 'the SMS webhook takes form fields (x-www-form-urlencoded)');
              const form = formParams(req.raw.toString('utf8'));
              const parsed = parseSmsForm(form, media.limits.maxBytes);
              if (!parsed.ok && parsed.missing)
                throw new WebhookRefused(400, `not an SMS webhook: ${parsed.problem}`);
              return [{ form, parsed }];
            },
            idOf: ({ parsed }: SmsItem) => (parsed.ok ? parsed.message.sourceId : undefined),
            handle: async ({ parsed }: SmsItem) => {
              if (!parsed.ok) throw new PermanentError('MALFORMED_SMS', parsed.problem);
              await take(parsed.message);
            },
            answer: () => ({ contentType: 'text/xml; charset=utf-8', body: EMPTY_TWIML }),
          },
        ],
        api: {
          controllers: [MediaController, PairingController],
          providers: [
            { provide: MEDIA_STORE, useValue: media },
            { provide: PAIRING_DEPS, useValue: { session: web, officerKeys } },
          ],
        },
        send,
        ...(web ? { health: { 'whatsapp-web': () => web.assertReady() } } : {}),
        start: async (listening) => {
          port = listening.port;
          web?.start();
        },
        stop: async () => web?.stop(),
      };
    },
  });

/** Web mode: the number's session, healed after every loss, and its chats read from their cursors. */
function webSession(
  ctx: ChannelContext<WhatsappConfig>,
  deps: WhatsappDeps,
  take: (d: Draft) => Promise<unknown>,
  maxMediaBytes: number,
): WebSession {
  const cfg = ctx.config;
  const log = ctx.logger.child({ component: 'whatsapp-web' });
  const maxBackoffMs = cfg.WHATSAPP_WEB_RECONNECT_MAX_SECONDS * 1000;
  const intake = new ChatIntake({
    cursors: ctx.store.cursors,
    quarantine: ctx.quarantine,
    secret: cfg.TRACKING_CODE_SECRET,
    take: async (m: WebMessageLike) => {
      const normalized = await normalizeWebMessage(m, { maxMediaBytes, secret: cfg.TRACKING_CODE_SECRET });
      if (normalized.kind === 'message') await take(normalized.message);
      else log.debug('WhatsApp Web message not taken as a complaint', { reason: normalized.reason });
    },
    log,
    maxRetryMs: maxBackoffMs,
  });
  return new WebSession({
    clients: (deps.webClients ?? ((c) => libraryClients(() => webOptions(c))))(cfg),
    intake,
    log,
    maxBackoffMs,
    startTimeoutMs: cfg.WHATSAPP_WEB_START_TIMEOUT_SECONDS * 1000,
    // Without officer tokens there is no pairing page: the code is drawn in the log instead.
    ...(cfg.OFFICER_JWKS_URL || cfg.OFFICER_JWT_SECRET
      ? {}
      : { printQr: (qr: string) => qrcode.generate(qr, { small: true }) }),
  });
}

export const whatsapp = whatsappChannel();

export const startChannelWhatsapp = (
  env = process.env,
  logger = createLogger(whatsapp.service),
  deps: WhatsappDeps = {},
) => runChannel(deps.webClients ? whatsappChannel(deps) : whatsapp, env, logger);
