import { startRecordingServer, type RecordingServer } from '@aduan/testing';

export const TOKEN = '123456:test-bot-token';
export const SECRET = 'test-webhook-secret_123';

export function chatOf(id: string): number {
  return 100_000_000 + (Number.parseInt(id, 36) % 800_000_000);
}

/** A private chat's text message, as the Bot API posts it to the webhook. */
export function textUpdate(id: string, text: string, chatId = chatOf(id)) {
  const n = Number.parseInt(id, 36) % 2 ** 31;
  const person = { first_name: 'Budi', last_name: 'Santoso', username: 'budi_s' };
  return {
    update_id: n,
    message: {
      message_id: n,
      from: { id: chatId, is_bot: false, ...person, language_code: 'id' },
      chat: { id: chatId, ...person, type: 'private' },
      date: Math.floor(Date.now() / 1000),
      text,
    },
  };
}

/** Posts an update to the adapter's webhook as Telegram does; answers the HTTP status. */
export async function postUpdate(port: number, update: unknown, secret = SECRET): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/webhooks/telegram`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Telegram-Bot-Api-Secret-Token': secret },
    body: JSON.stringify(update),
  });
  return res.status;
}

export interface BotApi extends RecordingServer {
  /** False: every sendMessage is answered 502, as in an outage. */
  up: boolean;
  sent(): Array<{ to: string; text: string }>;
  refused(): number;
}

/** The Bot API's sendMessage, answering as Telegram does (core.telegram.org/bots/api#sendmessage). */
export async function botApi(): Promise<BotApi> {
  let refused = 0;
  let nextId = 1;
  // Read by the handler at request time, so a test flips the outage on and off.
  const switches = { up: true };
  const server = await startRecordingServer((req) => {
    if (!req.path.startsWith(`/bot${TOKEN}/sendMessage`))
      return { status: 404, body: { ok: false, error_code: 404, description: 'Not Found' } };
    if (!switches.up) {
      refused++;
      return { status: 502, body: { ok: false, error_code: 502, description: 'Bad Gateway' } };
    }
    const chat = (req.body as { chat_id: string }).chat_id;
    return {
      status: 200,
      body: { ok: true, result: { message_id: nextId++, date: 0, chat: { id: chat, type: 'private' } } },
    };
  });
  const api = Object.assign(server, {
    sent: () =>
      server.requests
        .filter((r) => r.status === 200)
        .map((r) => r.body as { chat_id: string; text: string })
        .map((b) => ({ to: String(b.chat_id), text: b.text })),
    refused: () => refused,
  });
  Object.defineProperty(api, 'up', {
    get: () => switches.up,
    set: (v: boolean) => {
      switches.up = v;
    },
  });
  return api as BotApi;
}
