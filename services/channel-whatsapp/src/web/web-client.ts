import { accessSync, constants, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Logger } from '@aduan/platform';
import * as qrcode from 'qrcode-terminal';
import { Client, LocalAuth, type ClientOptions, type Message } from 'whatsapp-web.js';
import { normalizeWebMessage, type WebMessageLike } from './web-message';
import type { Draft } from '../inbound';

// Debian's Chromium running as root in a container: the flags that let it start without a sandbox or GPU.
export const CHROMIUM_ARGS = (
  '--no-sandbox --disable-setuid-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run ' +
  '--disable-background-networking --disable-component-update --disable-sync'
).split(' ');

export class WebModeConfigError extends Error {}

const why = (err: unknown) => ({ error: err instanceof Error ? err.message : String(err) });

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
    throw new WebModeConfigError(`WHATSAPP_WEB_SESSION_DIR: cannot create ${dataPath}: ${why(err).error}`);
  }
  return {
    authStrategy: new LocalAuth({ clientId: 'aduan', dataPath }),
    puppeteer: { executablePath: s.chromiumPath, headless: true, args: CHROMIUM_ARGS },
  };
}

/**
 * A plain WhatsApp number driven through WhatsApp Web. The first start prints a QR code to scan
 * with the phone; the session then lives under WHATSAPP_WEB_SESSION_DIR and survives restarts.
 */
export class WebClient {
  private readonly client: Client;
  private ready = false;

  constructor(
    options: ClientOptions,
    private readonly maxMediaBytes: number,
    private readonly log: Logger,
    private readonly onMessage: (m: Draft) => Promise<unknown>,
    private readonly printQr: (qr: string) => void = (qr) => qrcode.generate(qr, { small: true }),
  ) {
    this.client = new Client(options);
    this.client.on('qr', (qr: string) => {
      this.log.info('scan the QR code below with the WhatsApp app of the complaint number (Linked devices)');
      this.printQr(qr);
    });
    this.client.on('ready', () => {
      this.ready = true;
      this.log.info('WhatsApp Web session ready');
    });
    this.client.on('auth_failure', (message: string) =>
      this.log.error('WhatsApp Web login failed', { error: message }),
    );
    this.client.on('disconnected', (reason: string) => {
      this.ready = false;
      this.log.warn('WhatsApp Web session disconnected', { reason });
    });
    this.client.on('message', (m: Message) => void this.receive(m as unknown as WebMessageLike));
  }

  start(): void {
    // initialize() resolves only after login, which may wait for a human to scan the QR code.
    this.client.initialize().catch((err: unknown) => this.log.error('WhatsApp Web did not start', why(err)));
  }

  assertReady(): void {
    if (!this.ready) throw new Error('WhatsApp Web session is not logged in');
  }

  async sendText(to: string, text: string): Promise<string> {
    this.assertReady();
    const sent = await this.client.sendMessage(`${to.replace(/\D/g, '')}@c.us`, text);
    return sent.id._serialized;
  }

  async stop(): Promise<void> {
    await this.client
      .destroy()
      .catch((err: unknown) => this.log.warn('WhatsApp Web did not close cleanly', why(err)));
  }

  private async receive(m: WebMessageLike): Promise<void> {
    try {
      const normalized = await normalizeWebMessage(m, this.maxMediaBytes);
      if (normalized.kind === 'ignored') {
        this.log.debug('WhatsApp Web message not taken as a complaint', { reason: normalized.reason });
        return;
      }
      await this.onMessage(normalized.message);
    } catch (err) {
      // No webhook to answer 500 to: WhatsApp Web will not redeliver, so the failure must be loud.
      this.log.error('WhatsApp Web message could not be taken in', why(err));
    }
  }
}
