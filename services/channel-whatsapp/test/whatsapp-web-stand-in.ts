import { EventEmitter } from 'node:events';
import {
  MessageTypes,
  WAState,
  type ChatId,
  type Location,
  type MessageId,
  type MessageMedia,
  type MessageSearchOptions,
} from 'whatsapp-web.js';
import type { WebChat, WebClientFactory, WhatsAppWebClient } from '../src/web/web-client';
import type { WebMessageLike } from '../src/web/web-message';

/**
 * A stand-in for whatsapp-web.js, since no phone can be scanned in a test: the account of the
 * city's number (its chats and their history, whether a session is stored) and the clients the
 * adapter starts on it. The client implements the adapter's slice of the library's `Client`
 * (`WhatsAppWebClient`, picked from the library's declarations) and behaves as the library
 * documents: `initialize()` emits `qr` when no session is stored and `authenticated` then `ready`
 * when one is; `disconnected` is emitted with the library's reasons and the client closes itself;
 * `Chat.fetchMessages({ limit, fromMe })` returns the last `limit` matching messages, earliest
 * first; a message that arrives while the client is connected is also emitted as `message`.
 */
export class StandInWhatsApp {
  /** chat id (`<digits>@c.us`) → its history, oldest first. */
  readonly chats = new Map<string, WebMessageLike[]>();
  /** What the adapter sent through a client. */
  readonly sent: Array<{ chatId: string; text: string }> = [];
  readonly clients: StandInClient[] = [];
  /** A session is stored in the session folder (the phone scanned the QR code). */
  paired = false;
  /** Set: the next client's session restore fails with this message (`auth_failure`). */
  failNextLogin: string | undefined;
  /** Set: the next client's `initialize()` rejects with this (e.g. Chromium did not start). */
  failNextStart: string | undefined;
  /** Set: the next client's browser hangs: `initialize()` never settles and nothing is emitted. */
  hangNextStart = false;

  readonly factory: WebClientFactory = () => {
    const client = new StandInClient(this);
    this.clients.push(client);
    return client;
  };

  /** The client that is connected now, if any. */
  get live(): StandInClient | undefined {
    return this.clients.find((c) => c.ready && !c.destroyed);
  }

  /** The client showing a QR code now, if any. */
  get waiting(): StandInClient | undefined {
    return this.clients.find((c) => c.qr && !c.ready && !c.destroyed);
  }

  /** The phone scans the QR code shown by the waiting client. */
  scan(): void {
    const client = this.waiting;
    if (!client) throw new Error('no QR code is waiting');
    this.paired = true;
    client.login();
  }

  /** A citizen writes to the city's number; a connected client hears it at once. */
  citizenWrites(phone: string, body: string, extra: Partial<WebMessageLike> = {}): WebMessageLike {
    const chatId = `${phone}@c.us`;
    const m = standInMessage(chatId, body, extra);
    this.chats.set(chatId, [...(this.chats.get(chatId) ?? []), m]);
    if (!this.live?.interrupted) this.live?.emit('message', m);
    return m;
  }

  /** The library emits `message` again for one already in the history (it does after reconnects). */
  redeliver(m: WebMessageLike): void {
    this.live?.emit('message', m);
  }

  /**
   * The session is lost: whatsapp-web.js emits `disconnected` with the socket's state (CONFLICT,
   * UNPAIRED…) or LOGOUT, and closes its browser. LOGOUT and UNPAIRED also drop the stored session.
   */
  disconnect(reason: WAState | 'LOGOUT'): void {
    const client = this.live ?? this.waiting;
    if (!client) throw new Error('no client to disconnect');
    if (reason === 'LOGOUT' || reason === WAState.UNPAIRED) this.paired = false;
    client.emit('disconnected', reason);
    void client.destroy();
  }

  /** The socket drops and comes back within the session (`change_state`), without `disconnected`. */
  interrupt(state: WAState): void {
    const client = this.live;
    if (!client) throw new Error('no client is connected');
    client.interrupted = true;
    client.emit('change_state', state);
  }

  /** The socket is back; what arrived meanwhile is in the chats' history, not emitted. */
  resume(): void {
    const client = this.live;
    if (!client) throw new Error('no client is connected');
    client.interrupted = false;
    client.emit('change_state', WAState.CONNECTED);
  }
}

let seq = 0;

/** A received message as whatsapp-web.js builds it from WhatsApp Web's model (text unless `extra` says otherwise). */
export function standInMessage(
  chatId: string,
  body: string,
  extra: Partial<WebMessageLike> = {},
): WebMessageLike {
  const key = `3EB0${(++seq).toString(16).toUpperCase().padStart(16, '0')}`;
  const id: MessageId = { fromMe: false, remote: chatId, id: key, _serialized: `false_${chatId}_${key}` };
  return {
    id,
    from: chatId,
    fromMe: false,
    isStatus: false,
    type: MessageTypes.TEXT,
    body,
    timestamp: Math.floor(Date.now() / 1000),
    hasMedia: false,
    // The library sets `location` only on location messages; its declaration does not say so.
    location: undefined as unknown as Location,
    downloadMedia: async () => undefined as unknown as MessageMedia,
    _data: { notifyName: 'Warga' },
    ...extra,
  };
}

export class StandInClient extends EventEmitter implements WhatsAppWebClient {
  ready = false;
  destroyed = false;
  /** The socket dropped (`change_state` TIMEOUT): messages reach the history only. */
  interrupted = false;
  qr: string | undefined;

  constructor(private readonly account: StandInWhatsApp) {
    super();
  }

  async initialize(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    const { account } = this;
    if (account.failNextStart) {
      const reason = account.failNextStart;
      account.failNextStart = undefined;
      throw new Error(reason);
    }
    if (account.hangNextStart) {
      account.hangNextStart = false;
      return new Promise<void>(() => undefined);
    }
    if (account.failNextLogin) {
      const reason = account.failNextLogin;
      account.failNextLogin = undefined;
      this.emit('auth_failure', reason);
      await this.destroy();
      return;
    }
    if (account.paired) return this.login();
    // The shape of WhatsApp Web's pairing string: ref, noise key, identity key, advertising secret.
    this.qr = `2@${Math.random().toString(36).slice(2)},bm9pc2Uta2V5,aWRlbnRpdHkta2V5,c2VjcmV0`;
    this.emit('qr', this.qr);
  }

  login(): void {
    this.emit('authenticated');
    this.ready = true;
    this.emit('ready');
  }

  async destroy(): Promise<void> {
    this.destroyed = true;
    this.ready = false;
  }

  async getChats(): Promise<WebChat[]> {
    this.assertOpen();
    return [...this.account.chats.keys()].map((id) => this.chat(id));
  }

  async getChatById(chatId: string): Promise<WebChat> {
    this.assertOpen();
    return this.chat(chatId);
  }

  async sendMessage(chatId: string, content: string): Promise<{ id: MessageId }> {
    this.assertOpen();
    this.account.sent.push({ chatId, text: content });
    const key = `3EB0SENT${this.account.sent.length}`;
    return { id: { fromMe: true, remote: chatId, id: key, _serialized: `true_${chatId}_${key}` } };
  }

  private chat(chatId: string): WebChat {
    const history = () => this.account.chats.get(chatId) ?? [];
    const [user, server] = chatId.split('@') as [string, string];
    const id: ChatId = { server, user, _serialized: chatId };
    return {
      id,
      isGroup: false,
      timestamp: history().at(-1)?.timestamp ?? 0,
      fetchMessages: async ({ limit, fromMe }: MessageSearchOptions) => {
        this.assertOpen();
        const matching = history().filter((m) => fromMe === undefined || m.fromMe === fromMe);
        return limit && limit > 0 ? matching.slice(-limit) : matching;
      },
    };
  }

  private assertOpen(): void {
    if (this.destroyed) throw new Error('Protocol error (Runtime.callFunctionOn): Session closed.');
  }
}
