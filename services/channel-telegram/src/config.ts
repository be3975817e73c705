import { defineConfig } from '@aduan/platform';

export const telegramSettings = defineConfig({
  TELEGRAM_PORT: {
    kind: 'int',
    description: 'HTTP port of channel-telegram (the Bot API webhook)',
    default: '3109',
    min: 0,
    max: 65535,
  },
  TELEGRAM_BOT_TOKEN: {
    kind: 'string',
    description: "The bot's token from @BotFather; replies and notifications are sent with it",
    secret: true,
    optional: true,
    offWhenUnset: 'answering citizens on Telegram',
  },
  TELEGRAM_WEBHOOK_SECRET: {
    kind: 'string',
    description:
      'The secret_token given to setWebhook; Telegram sends it back in X-Telegram-Bot-Api-Secret-Token',
    secret: true,
    optional: true,
    offWhenUnset: 'Telegram intake',
  },
  TELEGRAM_API_BASE_URL: {
    kind: 'url',
    description: 'Bot API server (a local Bot API server, or a stand-in in tests)',
    default: 'https://api.telegram.org',
  },
  TELEGRAM_CONVERSATION_WINDOW_HOURS: {
    kind: 'int',
    description: 'A chat writing again within this many hours adds to its open report',
    default: '24',
    min: 0,
  },
});
