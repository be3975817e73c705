import { accessSync, constants, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Chat, Client, ClientOptions, Message, MessageSearchOptions, WAState } from 'whatsapp-web.js';
import type whatsappWeb from 'whatsapp-web.js';
import type { WebMessageLike } from './web-message';

// Debian's Chromium running as root in a container: the flags that let it start without a sandbox or GPU.
export const CHROMIUM_ARGS = (
  '--no-sandbox --disable-setuid-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run ' +
  '--disable-background-networking --disable-component-update --disable-sync'
).split(' ');

export class WebModeConfigError extends Error {}

/**
 * whatsapp-web.js and puppeteer are loaded when web mode starts, not with the service: about
 * 37 MB of memory the Cloud API mode would otherwise hold for nothing (ADR 0081).
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const library = (): typeof whatsappWeb => require('whatsapp-web.js');

const CLIENT_ID = 'aduan';

/**
 * Chromium marks its profile in use with Singleton* links naming the host and process. A browser
 * killed with the container leaves them behind, and the next container (another host name) is
 * refused the profile: the session could never come back. Options are built only when no browser
 * of ours runs (at start, and after the previous client was closed), so any lock left is stale.
 */
function clearStaleLocks(profileDir: string): void {
  for (const name of ['SingletonLock', 'SingletonSocket', 'SingletonCookie'])
    rmSync(join(profileDir, name), { force: true });
}

export const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Checks what can be checked before a browser starts, and builds the whatsapp-web.js options. */
export function webClientOptions(s: { sessionDir: string; chromiumPath: string }): ClientOptions {
  try {
    accessSync(s.chromiumPath, constants.X_OK);
  } catch {
    throw new WebModeConfigError(
      `WHATSAPP_WEB_CHROMIUM_PATH: no executable Chromium at ${s.chromiumPath} (apt-get install chromium)`,
    );
  }
  const dataPath = resolve(s.sessionDir);
  try {
    mkdirSync(dataPath, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw new WebModeConfigError(`WHATSAPP_WEB_SESSION_DIR: cannot create ${dataPath}: ${errorText(err)}`);
  }
  clearStaleLocks(join(dataPath, `session-${CLIENT_ID}`));
  return {
    authStrategy: new (library().LocalAuth)({ clientId: CLIENT_ID, dataPath }),
    puppeteer: { executablePath: s.chromiumPath, headless: true, args: CHROMIUM_ARGS },
  };
}

/**
 * A chat as this adapter reads it: the whatsapp-web.js `Chat` fields it uses, with messages
 * narrowed to what normalisation reads, so a stand-in can play the library in tests.
 */
export type WebChat = Pick<Chat, 'id' | 'isGroup' | 'timestamp'> & {
  /** The last `limit` messages, earliest first (whatsapp-web.js loads earlier ones as needed). */
  fetchMessages(options: MessageSearchOptions): Promise<WebMessageLike[]>;
};

/**
 * The part of whatsapp-web.js's `Client` the adapter drives. The library's own `Client` is
 * assigned to it in `libraryClients`, so a change of these signatures breaks the build. The
 * events are the library's, with the listener types its declarations give them (the library
 * also declares a catch-all `on(string, …)`, so those are checked by reading, not by the compiler).
 */
export interface WhatsAppWebClient extends Pick<Client, 'initialize' | 'destroy'> {
  getChats(): Promise<WebChat[]>;
  getChatById(chatId: string): Promise<WebChat>;
  sendMessage(chatId: string, content: string): Promise<Pick<Message, 'id'>>;
  on(event: 'qr', listener: (qr: string) => void): unknown;
  on(event: 'authenticated' | 'ready', listener: () => void): unknown;
  on(event: 'change_state', listener: (state: WAState) => void): unknown;
  on(event: 'auth_failure', listener: (message: string) => void): unknown;
  on(event: 'disconnected', listener: (reason: WAState | 'LOGOUT') => void): unknown;
  on(event: 'message', listener: (message: WebMessageLike) => void): unknown;
}

/** A new client for each (re)connection: a destroyed whatsapp-web.js client is not started again. */
export type WebClientFactory = () => WhatsAppWebClient;

/** Production: the library's client on Debian's Chromium, options checked again at every connection. */
export const libraryClients =
  (options: () => ClientOptions): WebClientFactory =>
  () =>
    new (library().Client)(options());
