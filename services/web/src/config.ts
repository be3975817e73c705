import { defineConfig, logSettings } from '@aduan/platform';

export const webSettings = defineConfig({
  WEB_PORT: {
    kind: 'int',
    description: 'HTTP port of the citizen tracking site and the officer console',
    default: '3000',
    min: 0,
    max: 65535,
  },
  STATUS_BASE_URL: {
    kind: 'url',
    description: 'Base URL of the status service; /api/status/* is proxied to it',
    default: 'http://127.0.0.1:3300',
  },
  NEWS_BASE_URL: {
    kind: 'url',
    description:
      "Base URL of channel-media; /api/news/v1/officer/news/* is proxied to it for the console's news candidates page",
    example: 'http://channel-media:3107',
    dev: 'http://127.0.0.1:3107',
    optional: true,
    offWhenUnset: 'the news candidates page of the officer console (its API answers 503)',
  },
  WHATSAPP_BASE_URL: {
    kind: 'url',
    description:
      "Base URL of channel-whatsapp; /api/whatsapp/v1/officer/whatsapp/pairing is proxied to it for the console's WhatsApp pairing page",
    example: 'http://channel-whatsapp:3105',
    dev: 'http://127.0.0.1:3105',
    optional: true,
    offWhenUnset: 'the WhatsApp pairing page of the officer console (its API answers 503)',
  },
  ROUTER_BASE_URL: {
    kind: 'url',
    description:
      "Base URL of the router; /api/router/v1/admin/rules… is proxied to it for the console's routing rules editor",
    example: 'http://router:3200',
    dev: 'http://127.0.0.1:3200',
    optional: true,
    offWhenUnset: 'the routing rules editor of the officer console (its API answers 503)',
  },
  OFFICER_ENTRY_BASE_URL: {
    kind: 'url',
    description:
      "Base URL of channel-officer; /api/entries/v1/officer/entries (and …/entries/photos) is proxied to it for the console's New report form",
    example: 'http://channel-officer:3108',
    dev: 'http://127.0.0.1:3108',
    optional: true,
    offWhenUnset: 'the New report form of the officer console (its API answers 503)',
  },
  WEB_PROXY_TIMEOUT_MS: {
    kind: 'int',
    description: 'How long the proxy waits on a silent status service before answering 504',
    default: '15000',
    min: 100,
  },
  WEB_MAX_UPLOAD_BYTES: {
    kind: 'int',
    description: 'Largest request body the proxy forwards (evidence photos); larger ones get 413',
    default: String(25 * 1024 * 1024),
    min: 1024,
  },
  WEB_TRACKING_REFRESH_SECONDS: {
    kind: 'int',
    description: 'How often an open tracking page asks for the latest state of its report',
    default: '30',
    min: 1,
    max: 3600,
  },
  ...logSettings,
});
