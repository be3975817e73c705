import { mediaSettings } from '@aduan/channel-sdk';
import { defineConfig } from '@aduan/platform';

export const metaSettings = defineConfig({
  META_PORT: {
    kind: 'int',
    description: 'HTTP port of channel-meta (the Facebook Page, Messenger and Instagram webhook)',
    default: '3103',
    min: 0,
    max: 65535,
  },
  META_APP_SECRET: {
    kind: 'list',
    description:
      "The secret of each Meta app whose Pages and accounts deliver here (the city's, the Governor's…), comma-separated: each delivery is signed by its app (X-Hub-Signature-256); unset, POST /webhooks/meta answers 503",
    secret: true,
    optional: true,
    offWhenUnset: 'Facebook, Messenger and Instagram intake (POST /webhooks/meta answers 503)',
  },
  META_VERIFY_TOKEN: {
    kind: 'string',
    description: 'The verify token typed into the app dashboard; Meta echoes it in the GET handshake',
    secret: true,
    optional: true,
    offWhenUnset: 'the Meta webhook handshake',
  },
  META_PAGES: {
    kind: 'string',
    description:
      'Each Facebook Page or Instagram account the city answers from, as id=token pairs separated by commas (a Page access token; an Instagram account id with the token of its linked Page or its Instagram token)',
    example: '137542570280222=EAAB…,17841400000000000=EAAB…',
    secret: true,
    optional: true,
    offWhenUnset: 'answering citizens on Facebook, Messenger and Instagram',
  },
  META_GRAPH_API_BASE_URL: {
    kind: 'url',
    description: 'Graph API host, without the version',
    default: 'https://graph.facebook.com',
  },
  META_GRAPH_API_VERSION: {
    kind: 'string',
    description: 'Graph API version the calls name (vNN.N)',
    default: 'v21.0',
  },
  META_MESSAGE_TAG: {
    kind: 'enum',
    values: ['ACCOUNT_UPDATE', 'HUMAN_AGENT', 'CONFIRMED_EVENT_UPDATE', 'POST_PURCHASE_UPDATE'],
    description:
      "Messenger message tag for news sent 24 hours or more after the citizen's last message (Instagram allows HUMAN_AGENT only and always uses it)",
    default: 'ACCOUNT_UPDATE',
  },
  META_CONVERSATION_WINDOW_HOURS: {
    kind: 'int',
    description:
      'A Messenger or Instagram Direct sender writing again within this many hours adds to their open report (comments never do: each is its own)',
    default: '24',
    min: 0,
  },
  META_TOKEN_CHECK_MINUTES: {
    kind: 'int',
    description:
      "How often each Page's token is checked (GET /me); a revoked one makes the service not ready",
    default: '10',
    min: 1,
  },
  ...mediaSettings,
});
