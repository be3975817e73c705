/**
 * Every citizen message on the WhatsApp Web number is taken in exactly once, whether it arrives
 * live (the client's `message` event) or while the session was away (read back from the chat's
 * history at the next connection).
 *
 * Each one-to-one chat has a cursor in the channel store (`SourceCursors`): the timestamp of the
 * last message taken in, with the ids of the messages taken at that second (WhatsApp timestamps
 * are whole seconds). A message is new when it is later than that second, or at that second and
 * not among those ids. The cursor is saved only after the message is on Kafka, so a crash reads
 * it again (its report id, derived from the message id, makes that harmless) and never skips it.
 *
 * Live messages and catch-up go through one queue, so the same message reached both ways is
 * compared with the cursor the first one saved. A chat whose message failed for a passing reason
 * (Kafka, the database, a photo download) is "behind": its live messages are left for the retry,
 * which reads the chat from its cursor, so nothing newer is taken past an older one.
 */
import { createHmac } from 'node:crypto';
import { classifyFailure } from '@aduan/bus';
import type { Quarantine, SourceCursors } from '@aduan/channel-sdk';
import { backoffDelay, type Logger } from '@aduan/platform';
import { errorText, type WebChat, type WhatsAppWebClient } from './web-client';
import { webSourceId, type WebMessageLike } from './web-message';

/** Where the chats' cursors start: the first connection. Older history is not a complaint to us. */
const SINCE_KEY = 'web:since';
/** How far back one chat is read at most (whatsapp-web.js loads history from the phone in pages). */
export const MAX_HISTORY = 2000;
const FIRST_PAGE = 50;

interface Cursor {
  t: number;
  /** Hashes of the ids taken at second `t` (message ids carry the phone number). */
  ids: string[];
}

const PERSON_CHAT = /^\d{5,20}@c\.us$/;

export interface ChatIntakeDeps {
  cursors: SourceCursors;
  quarantine: Quarantine;
  /** Keys the chat and message hashes kept in the store (TRACKING_CODE_SECRET). */
  secret: string;
  /** Takes one message in (normalise, keep photos, conversation rules); resolves once it is on Kafka. */
  take(m: WebMessageLike): Promise<void>;
  log: Logger;
  /** Longest pause between retries of a chat that is behind. */
  maxRetryMs: number;
  now?: () => number;
}

export class ChatIntake {
  private queue: Promise<void> = Promise.resolve();
  private client: WhatsAppWebClient | undefined;
  /** Bumped at every connect and disconnect: queued work of an earlier connection is dropped. */
  private generation = 0;
  private readonly behind = new Set<string>();
  private retryTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  /** A whole catch-up failed: the retry reads every chat, not only those behind. */
  private everything = false;

  constructor(private readonly deps: ChatIntakeDeps) {}

  /** A (re)connection is ready: read every chat from its cursor, then take live messages. */
  connected(client: WhatsAppWebClient): Promise<void> {
    this.client = client;
    const generation = ++this.generation;
    this.behind.clear();
    this.failures = 0;
    this.everything = false;
    return this.enqueue(generation, () => this.catchUp(client, generation));
  }

  /**
   * The connection is back after a network drop without a new session (`change_state` CONNECTED):
   * what arrived meanwhile may not come as events, so the chats are read again.
   */
  reconnected(): Promise<void> {
    const client = this.client;
    if (!client) return Promise.resolve();
    return this.enqueue(this.generation, () => this.catchUp(client, this.generation));
  }

  disconnected(): void {
    this.client = undefined;
    this.generation++;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  /** A message that arrived while connected. */
  live(m: WebMessageLike): Promise<void> {
    const generation = this.generation;
    return this.enqueue(generation, async () => {
      if (m.fromMe || !PERSON_CHAT.test(m.from)) return;
      // A chat that is behind is read from its cursor by the retry, this message included.
      if (this.behind.has(m.from)) return;
      const cursor = await this.cursorOf(m.from);
      if (!this.isNew(m, cursor)) return;
      await this.takeInOrder(m.from, [m], cursor, generation);
    });
  }

  /** Resolves once everything queued so far is done (tests, shutdown). */
  idle(): Promise<void> {
    return this.queue;
  }

  stop(): void {
    this.disconnected();
  }

  private enqueue(generation: number, job: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(async () => {
      if (generation !== this.generation) return;
      try {
        await job();
      } catch (err) {
        // The chats could not be read (the store or the session is away): all of them are read again.
        this.retryLater({ everything: true }, errorText(err));
      }
    });
    return this.queue;
  }

  private async catchUp(client: WhatsAppWebClient, generation: number): Promise<void> {
    const since = await this.since();
    const chats = (await client.getChats()).filter(
      (c) => !c.isGroup && PERSON_CHAT.test(c.id._serialized) && c.timestamp >= since,
    );
    let taken = 0;
    for (const chat of chats) {
      if (generation !== this.generation) return;
      taken += await this.readChat(chat, generation);
    }
    if (taken) this.deps.log.info('WhatsApp Web: messages that arrived while away taken in', { taken });
  }

  /** Takes in what the chat holds after its cursor; returns how many were new. */
  private async readChat(chat: WebChat, generation: number): Promise<number> {
    const chatId = chat.id._serialized;
    const cursor = await this.cursorOf(chatId);
    if (chat.timestamp < cursor.t) return 0;
    const fresh = await this.newerThan(chat, cursor);
    await this.takeInOrder(chatId, fresh, cursor, generation);
    return fresh.length;
  }

  /** Pages back through the chat until its cursor is reached (or the history ends). */
  private async newerThan(chat: WebChat, cursor: Cursor): Promise<WebMessageLike[]> {
    for (let limit = FIRST_PAGE; ; limit = Math.min(limit * 4, MAX_HISTORY)) {
      const page = await chat.fetchMessages({ limit, fromMe: false });
      const fresh = page.filter((m) => !m.fromMe && this.isNew(m, cursor));
      if (fresh.length < page.length || page.length < limit) return fresh;
      if (limit === MAX_HISTORY) {
        this.deps.log.warn(
          'WhatsApp Web: a chat has more unread messages than are read back; the oldest are left',
          {
            read: MAX_HISTORY,
          },
        );
        return fresh;
      }
    }
  }

  private async takeInOrder(
    chatId: string,
    messages: WebMessageLike[],
    cursor: Cursor,
    generation: number,
  ): Promise<void> {
    const ordered = [...messages].sort((a, b) => a.timestamp - b.timestamp);
    let at = cursor;
    for (const m of ordered) {
      if (generation !== this.generation) return;
      try {
        await this.deps.take(m);
      } catch (err) {
        const failure = classifyFailure(err);
        if (failure.kind === 'transient') return this.fallBehind(chatId, failure.message);
        await this.deps.quarantine.keep({
          channel: 'whatsapp',
          ingress: 'whatsapp-web',
          sourceId: webSourceId(m.id._serialized, this.deps.secret),
          reason: `${failure.code}: ${failure.message}`,
          excerpt: JSON.stringify({ type: m.type, timestamp: m.timestamp, hasMedia: m.hasMedia }),
        });
        this.deps.log.warn('WhatsApp Web message quarantined', {
          code: failure.code,
          reason: failure.message,
        });
      }
      at = this.advance(at, m);
      await this.deps.cursors.save('whatsapp', this.keyOf(chatId), JSON.stringify(at));
    }
    this.behind.delete(chatId);
  }

  private fallBehind(chatId: string, reason: string): void {
    this.behind.add(chatId);
    this.retryLater({ everything: false }, reason);
  }

  /** Reads again, with backoff, for as long as the cause lasts: the chats behind, or every chat. */
  private retryLater(what: { everything: boolean }, reason: string): void {
    if (!this.client) return;
    this.everything ||= what.everything;
    if (this.retryTimer) return;
    this.failures++;
    const wait = backoffDelay(this.failures, 1000, this.deps.maxRetryMs);
    this.deps.log.warn('WhatsApp Web messages not taken in yet; they are read again', {
      error: reason,
      attempt: this.failures,
      retryInMs: wait,
    });
    const generation = this.generation;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.enqueue(generation, () => this.retry(generation));
    }, wait);
    this.retryTimer.unref();
  }

  private async retry(generation: number): Promise<void> {
    const client = this.client;
    if (!client) return;
    if (this.everything) {
      this.everything = false;
      await this.catchUp(client, generation);
    } else {
      for (const chatId of [...this.behind]) {
        if (generation !== this.generation) return;
        await this.readChat(await client.getChatById(chatId), generation);
      }
    }
    if (!this.behind.size && !this.retryTimer) this.failures = 0;
  }

  private isNew(m: WebMessageLike, cursor: Cursor): boolean {
    return (
      m.timestamp > cursor.t ||
      (m.timestamp === cursor.t && !cursor.ids.includes(this.hash(m.id._serialized)))
    );
  }

  private advance(cursor: Cursor, m: WebMessageLike): Cursor {
    const id = this.hash(m.id._serialized);
    return m.timestamp > cursor.t ? { t: m.timestamp, ids: [id] } : { t: cursor.t, ids: [...cursor.ids, id] };
  }

  private async cursorOf(chatId: string): Promise<Cursor> {
    const saved = await this.deps.cursors.load('whatsapp', this.keyOf(chatId));
    if (saved) return JSON.parse(saved) as Cursor;
    return { t: await this.since(), ids: [] };
  }

  /** The first connection's time, saved once: chats are read from there when they have no cursor. */
  private async since(): Promise<number> {
    const saved = await this.deps.cursors.load('whatsapp', SINCE_KEY);
    if (saved) return Number(saved);
    const now = Math.floor((this.deps.now ?? Date.now)() / 1000);
    await this.deps.cursors.save('whatsapp', SINCE_KEY, String(now));
    return now;
  }

  private keyOf(chatId: string): string {
    return `web:chat:${this.hash(chatId)}`;
  }

  private hash(value: string): string {
    return createHmac('sha256', this.deps.secret).update(value).digest('hex').slice(0, 24);
  }
}
