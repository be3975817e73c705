/**
 * Keeps the WhatsApp Web number connected. whatsapp-web.js closes its browser after a
 * `disconnected` event (the phone unlinked the device, the session was taken over, the socket
 * gave up) and does not come back by itself; an `auth_failure` or a failed `initialize()` leaves
 * it stopped too. Each of those ends the client: the session records why (readiness and the
 * console show it), waits with backoff, and starts a new client on the same session folder.
 * Every `ready` reads the chats back from their cursors, so what arrived meanwhile is taken in.
 */
import { backoffDelay, type Logger } from '@aduan/platform';
import type { WAState } from 'whatsapp-web.js';
import type { ChatIntake } from './chat-intake';
import { errorText, type WebClientFactory, type WhatsAppWebClient } from './web-client';
import type { WebMessageLike } from './web-message';

// The library's value, written out so this module does not load it (see `library` in web-client).
const CONNECTED: `${WAState.CONNECTED}` = 'CONNECTED';

export type PairingStateName =
  /** The browser is starting, or the stored session is being restored. */
  | 'starting'
  /** No session: a QR code waits to be scanned under "Linked devices" on the number's phone. */
  | 'waiting_for_scan'
  /** Scanned or restored; WhatsApp Web is loading the chats. */
  | 'authenticated'
  | 'connected'
  | 'disconnected'
  | 'auth_failure'
  /** The client did not start (Chromium crashed, WhatsApp Web unreachable). */
  | 'failed'
  | 'stopped';

/** What the console's pairing page shows. Carries no personal data. */
export interface PairingView {
  state: PairingStateName;
  since: string;
  /** Why the number is not connected (the library's reason, e.g. LOGOUT, CONFLICT, UNPAIRED). */
  reason?: string;
  /** The socket's own state when it is not CONNECTED (TIMEOUT, OPENING) while the session lasts. */
  connection?: string;
  /** Reconnections tried since the last success. */
  attempt?: number;
  nextAttemptAt?: string;
  /** Whether a QR code is waiting (GET …/pairing/qr.svg). */
  qr: boolean;
}

export interface WebSessionOptions {
  clients: WebClientFactory;
  intake: ChatIntake;
  log: Logger;
  /** Longest pause between reconnections. */
  maxBackoffMs: number;
  /** How long a new client may show neither a QR code nor a login before it is started again. */
  startTimeoutMs: number;
  /** Where the QR code is drawn when no console can show it (no officer tokens). */
  printQr?: (qr: string) => void;
}

const FIRST_BACKOFF_MS = 1000;

export class WebSession {
  private client: WhatsAppWebClient | undefined;
  /** Bumped for every client: events of a client already given up are ignored. */
  private generation = 0;
  private view: PairingView = { state: 'starting', since: new Date().toISOString(), qr: false };
  private qrText: string | undefined;
  private failures = 0;
  private timer: NodeJS.Timeout | undefined;
  private startTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly o: WebSessionOptions) {}

  start(): void {
    this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.startTimer);
    this.o.intake.stop();
    this.set({ state: 'stopped' });
    const client = this.client;
    this.client = undefined;
    await this.close(client);
    // A message being taken in finishes before the runner closes Kafka and the store under it.
    await this.o.intake.idle();
  }

  pairing(): PairingView {
    return { ...this.view };
  }

  /** The QR code text while one waits to be scanned. */
  qr(): string | undefined {
    return this.view.state === 'waiting_for_scan' ? this.qrText : undefined;
  }

  /** Readiness: only a connected session can take messages in and answer. */
  assertReady(): void {
    const { state, reason, connection } = this.view;
    if (state === 'connected' && !connection) return;
    const detail = connection ? `connection ${connection}` : reason ? `${state}: ${reason}` : state;
    throw new Error(`WhatsApp Web is not connected (${detail})`);
  }

  async sendText(to: string, text: string): Promise<string> {
    this.assertReady();
    const sent = await this.client!.sendMessage(`${to.replace(/\D/g, '')}@c.us`, text);
    return sent.id._serialized;
  }

  private connect(): void {
    if (this.stopped) return;
    const generation = ++this.generation;
    const current = () => generation === this.generation && !this.stopped;
    let client: WhatsAppWebClient;
    try {
      client = this.o.clients();
    } catch (err) {
      return this.lost(generation, 'failed', errorText(err));
    }
    this.client = client;
    // While reconnecting, the console keeps showing why and how often.
    const last = this.failures ? { reason: this.view.reason, attempt: this.failures } : {};
    this.set({ state: 'starting', ...last });
    // A browser that hangs shows nothing at all: neither a code to scan nor a login.
    const seconds = Math.round(this.o.startTimeoutMs / 1000);
    this.startTimer = setTimeout(
      () => this.lost(generation, 'failed', `neither a QR code nor a login within ${seconds} s`),
      this.o.startTimeoutMs,
    );
    this.startTimer.unref();
    const settled = () => clearTimeout(this.startTimer);
    client.on('qr', (qr: string) => {
      if (!current()) return;
      this.qrText = qr;
      this.set({ state: 'waiting_for_scan' });
      settled();
      if (this.o.printQr) {
        this.o.log.info('WhatsApp Web waits to be paired: scan the QR code below under Linked devices');
        this.o.printQr(qr);
      } else {
        this.o.log.info(
          'WhatsApp Web waits to be paired: an administrator scans the QR code on the console (/console/whatsapp/)',
        );
      }
    });
    client.on('authenticated', () => {
      if (!current()) return;
      settled();
      this.set({ state: 'authenticated' });
    });
    client.on('ready', () => {
      if (!current()) return;
      settled();
      this.failures = 0;
      this.set({ state: 'connected' });
      this.o.log.info('WhatsApp Web connected');
      void this.o.intake.connected(client);
    });
    client.on('change_state', (state: WAState) => {
      if (!current() || this.view.state !== 'connected') return;
      if ((state as string) === CONNECTED) {
        if (!this.view.connection) return;
        this.set({ state: 'connected' });
        this.o.log.info('WhatsApp Web connection back');
        void this.o.intake.reconnected();
      } else {
        this.set({ state: 'connected', connection: state });
        this.o.log.warn('WhatsApp Web connection interrupted', { connection: state });
      }
    });
    client.on('auth_failure', (message: string) => this.lost(generation, 'auth_failure', message));
    client.on('disconnected', (reason: string) => this.lost(generation, 'disconnected', reason));
    client.on('message', (m: WebMessageLike) => {
      if (current()) void this.o.intake.live(m);
    });
    // initialize() resolves only after pairing, which may wait for a human to scan the QR code.
    client.initialize().catch((err: unknown) => this.lost(generation, 'failed', errorText(err)));
  }

  /** The client is over: say why, close it, and start a new one after a pause. */
  private lost(generation: number, state: 'disconnected' | 'auth_failure' | 'failed', reason: string): void {
    if (generation !== this.generation || this.stopped) return;
    this.generation++;
    clearTimeout(this.startTimer);
    this.o.intake.disconnected();
    const client = this.client;
    this.client = undefined;
    this.failures++;
    const wait = backoffDelay(this.failures, FIRST_BACKOFF_MS, this.o.maxBackoffMs);
    this.set({
      state,
      reason,
      attempt: this.failures,
      nextAttemptAt: new Date(Date.now() + wait).toISOString(),
    });
    const message = { auth_failure: 'login failed', disconnected: 'disconnected', failed: 'did not start' }[
      state
    ];
    this.o.log[state === 'disconnected' ? 'warn' : 'error'](`WhatsApp Web ${message}; reconnecting`, {
      reason,
      attempt: this.failures,
      retryInMs: wait,
    });
    const closed = this.close(client);
    // The next browser starts once this one is gone: both would open the same profile.
    this.timer = setTimeout(() => void closed.then(() => this.connect()), wait);
    this.timer.unref();
  }

  private async close(client: WhatsAppWebClient | undefined): Promise<void> {
    await client
      ?.destroy()
      .catch((err: unknown) =>
        this.o.log.warn('WhatsApp Web did not close cleanly', { error: errorText(err) }),
      );
  }

  private set(next: Omit<PairingView, 'since' | 'qr'>): void {
    const changed = next.state !== this.view.state || next.connection !== this.view.connection;
    if (next.state !== 'waiting_for_scan') this.qrText = undefined;
    this.view = {
      ...next,
      since: changed ? new Date().toISOString() : this.view.since,
      qr: next.state === 'waiting_for_scan',
    };
  }
}
