import {
  defineChannel,
  jsonBody,
  PermanentError,
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

    async function send({ to, message }: SendRequest): Promise<string> {
      const res = await fetch(`${api}/sendMessage`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          chat_id: to.address,
          text: message.text,
          ...(to.thread
            ? { reply_parameters: { message_id: Number(to.thread), allow_sending_without_reply: true } }
            : {}),
        }),
        signal: AbortSignal.timeout(15_000),
      });
      const body = (await res.json().catch(() => ({}))) as {
        ok?: boolean;
        description?: string;
        result?: { message_id: number };
      };
      if (body.ok && body.result) return String(body.result.message_id);
      const reason = `Telegram answered ${res.status}: ${body.description ?? 'no description'}`;
      // 400 (chat not found) and 403 (the citizen blocked the bot) will not pass with time.
      if (res.status === 400 || res.status === 403) throw new PermanentError('TELEGRAM_REFUSED', reason);
      throw new Error(reason);
    }

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
