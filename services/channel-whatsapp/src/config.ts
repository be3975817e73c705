import { mediaSettings, smsGatewaySettings } from '@aduan/channel-sdk';
import { defineConfig, officerTokenSettings } from '@aduan/platform';

export const whatsappSettings = defineConfig({
  WHATSAPP_PORT: {
    kind: 'int',
    description: 'HTTP port of the WhatsApp and SMS webhooks',
    default: '3105',
    min: 0,
    max: 65535,
  },
  WHATSAPP_MODE: {
    kind: 'enum',
    values: ['cloud', 'web'],
    description:
      'cloud: WhatsApp Business Cloud API webhooks; web: a plain WhatsApp number driven through whatsapp-web.js (QR login)',
    default: 'cloud',
  },
  WHATSAPP_APP_SECRET: {
    kind: 'string',
    description:
      'Meta app secret that signs Cloud API webhooks (X-Hub-Signature-256); unset disables POST /webhooks/whatsapp',
    secret: true,
    optional: true,
    offWhenUnset: 'WhatsApp Cloud API intake (POST /webhooks/whatsapp answers 503)',
  },
  WHATSAPP_VERIFY_TOKEN: {
    kind: 'string',
    description: 'Token Meta echoes in the GET verification handshake; unset refuses the handshake',
    secret: true,
    optional: true,
    offWhenUnset: 'the webhook handshake',
  },
  WHATSAPP_API_BASE_URL: {
    kind: 'url',
    description: 'Base URL of the Cloud API (Graph API with its version)',
    default: 'https://graph.facebook.com/v21.0',
  },
  WHATSAPP_ACCESS_TOKEN: {
    kind: 'string',
    description: 'Cloud API access token for sending replies and fetching media; unset: no replies are sent',
    secret: true,
    optional: true,
    offWhenUnset: 'answering on WhatsApp and keeping WhatsApp photos',
  },
  WHATSAPP_PHONE_NUMBER_ID: {
    kind: 'string',
    description:
      'Cloud API phone number id to send from when a notification has no conversation to thread on',
    optional: true,
  },
  WHATSAPP_TEMPLATE_ACKNOWLEDGEMENT: {
    kind: 'string',
    description:
      'Approved message template for an acknowledgement sent 24 hours or more after the citizen wrote ({{1}} tracking code, {{2}} tracking link; docs/whatsapp-templates.md)',
    default: 'aduan_acknowledgement',
  },
  WHATSAPP_TEMPLATE_NOTIFICATION: {
    kind: 'string',
    description:
      'Approved message template for any other message 24 hours or more after the citizen wrote ({{1}} tracking code, {{2}} the news)',
    default: 'aduan_notification',
  },
  WHATSAPP_TEMPLATE_LANGUAGE: {
    kind: 'string',
    description: 'Language code the templates were approved in',
    default: 'id',
  },
  WHATSAPP_WEB_SESSION_DIR: {
    kind: 'string',
    description: 'web mode: folder where the whatsapp-web.js session is kept between restarts',
    default: '.data/whatsapp-web',
  },
  WHATSAPP_WEB_CHROMIUM_PATH: {
    kind: 'string',
    description: 'web mode: the Chromium executable puppeteer drives',
    default: '/usr/bin/chromium',
  },
  WHATSAPP_WEB_RECONNECT_MAX_SECONDS: {
    kind: 'int',
    description:
      'web mode: longest pause between attempts to reconnect after a disconnect, a login failure or a failed start (the pause doubles from 1 s)',
    default: '300',
    min: 1,
  },
  WHATSAPP_WEB_START_TIMEOUT_SECONDS: {
    kind: 'int',
    description:
      'web mode: how long a starting browser may show neither a QR code nor a login before it is closed and started again',
    default: '180',
    min: 1,
  },
  OFFICER_JWKS_URL: {
    ...officerTokenSettings.OFFICER_JWKS_URL,
    // Cloud mode has nothing to pair: production does not need it there.
    requiredInProduction: false,
    offWhenUnset: 'the WhatsApp Web pairing page (GET /v1/officer/whatsapp/pairing answers 503)',
  },
  OFFICER_JWT_SECRET: officerTokenSettings.OFFICER_JWT_SECRET,
  CONVERSATION_WINDOW_MINUTES: {
    kind: 'int',
    description:
      'A number that writes again within this many minutes of its last message continues its open report',
    default: '30',
    min: 0,
  },
  SMS_WEBHOOK_AUTH_TOKEN: {
    kind: 'string',
    description:
      'Auth token the SMS gateway signs inbound webhooks with (X-Twilio-Signature); unset disables POST /webhooks/sms',
    secret: true,
    optional: true,
    offWhenUnset: 'SMS intake (POST /webhooks/sms answers 503)',
  },
  SMS_WEBHOOK_PUBLIC_URL: {
    kind: 'url',
    description:
      'The exact URL the SMS gateway calls (it is part of the signature); default: rebuilt from the request',
    example: 'https://aduan.jakarta.go.id/webhooks/sms',
    optional: true,
  },
  ...smsGatewaySettings,
  ...mediaSettings,
});
