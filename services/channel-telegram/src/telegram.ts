import {
  callProvider,
  defineChannel,
  jsonBody,
  verifiers,
  WebhookRefused,
  type SendRequest,
} from '@aduan/channel-sdk';
import { telegramSettings } from './config';
import { isUpdate, toInbound, type Update } from './update';

const HOUR = 3_600_000;

/** Telegram's Bot API: updates by webhook, answers by sendMessage in the citizen's chat. */
export const telegram = defineChannel({
  service: 'channel-telegram',
  channels: ['telegram'],
  settings: telegramSettings,
  port: 'TELEGRAM_PORT',
  setup(ctx) {
    const { TELEGRAM_BOT_TOKEN: token, TELEGRAM_WEBHOOK_SECRET: secret } = ctx.config;
    const rules = ctx.conversationRules({ windowMs: ctx.config.TELEGRAM_CONVERSATION_WINDOW_HOURS * HOUR });
    const api = `${ctx.config.TELEGRAM_API_BASE_URL.replace(/\/$/, '')}/bot${token}`;

    const send = async ({ to, message }: SendRequest): Promise<string> => {
      const reply = to.thread
        ? { message_id: Number(to.thread), allow_sending_without_reply: true }
        : undefined;
      const answer = await callProvider<{ result: { message_id: number } }>(`${api}/sendMessage`, {
        json: { chat_id: to.address, text: message.text, ...(reply ? { reply_parameters: reply } : {}) },
      });
      return String(answer.result.message_id);
    };

    return {
      webhooks: secret
        ? [
            {
              name: 'telegram',
              verify: verifiers.secretHeader('x-telegram-bot-api-secret-token', secret),
              parse: (req) => {
                const body = jsonBody(req);
                if (!isUpdate(body))
                  throw new WebhookRefused(400, 'not a Bot API Update: update_id is missing');
                return [body];
              },
              idOf: (u: Update) => String(u.update_id),
              handle: async (u: Update) => {
                const message = toInbound(u);
                if (message) await rules.handle(message);
              },
            },
          ]
        : [],
      ...(token ? { send } : {}),
    };
  },
});
