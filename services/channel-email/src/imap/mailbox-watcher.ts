import { backoffDelay, PermanentError, sleep } from '@aduan/bus';
import type { SourceCursors } from '@aduan/channel-sdk';
import type { Logger } from '@aduan/platform';
import { ImapFlow } from 'imapflow';

export interface MailboxMessage {
  uid: number;
  uidValidity: string;
  source: Buffer;
}

export interface MailboxWatcherOptions {
  imapUrl: string;
  cursors: SourceCursors;
  /** Resolves once the message is safely handled (Kafka has it); only then the cursor moves. */
  onMessage(message: MailboxMessage): Promise<void>;
  logger: Logger;
  reconnectMaxMs: number;
  /** A fallback check for new mail in case an IDLE notification is missed. */
  pollIntervalMs?: number;
}

/** Cursor text: "<UIDVALIDITY>:<UID>", the last message handled in that mailbox generation. */
function parseCursor(cursor: string | null): { uidValidity: string; uid: number } | null {
  const m = /^(\d+):(\d+)$/.exec(cursor ?? '');
  return m ? { uidValidity: m[1]!, uid: Number(m[2]) } : null;
}

/**
 * Follows one mailbox with IMAP IDLE. On (re)connect and on every new-mail notification it
 * reads the messages after the saved cursor in UID order, hands each to `onMessage`, and saves
 * the cursor after each one succeeded: a restart neither repeats nor misses a mail. If the
 * server's UIDVALIDITY changed, old UIDs mean nothing, so the mailbox is read again from the
 * start (report ids come from Message-IDs, so nothing is duplicated downstream).
 * Connection loss reconnects with capped exponential backoff; a failing message is retried
 * the same way and blocks the ones after it, so the order and the cursor stay honest.
 */
export class MailboxWatcher {
  private client: ImapFlow | undefined;
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;
  private connected = false;
  private wake: (() => void) | undefined;
  private pending = false;
  private readonly mailbox: string;
  private readonly sourceKey: string;

  constructor(private readonly opts: MailboxWatcherOptions) {
    const url = new URL(opts.imapUrl);
    this.mailbox = decodeURIComponent(url.pathname.replace(/^\//, '')) || 'INBOX';
    this.sourceKey = `${url.hostname}:${url.port}/${decodeURIComponent(url.username)}/${this.mailbox}`;
  }

  start(): void {
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    this.wake?.();
    await this.client?.logout().catch(() => this.client?.close());
    await this.loop;
  }

  assertHealthy(): void {
    if (!this.connected) throw new Error('not connected to the IMAP server');
  }

  private newClient(): ImapFlow {
    const url = new URL(this.opts.imapUrl);
    const secure = url.protocol === 'imaps:';
    return new ImapFlow({
      host: url.hostname,
      port: url.port ? Number(url.port) : secure ? 993 : 143,
      secure,
      // Plain imap:// is for loopback test servers; never negotiate what the URL did not ask for.
      doSTARTTLS: secure ? undefined : false,
      auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) },
      logger: false,
      emitLogs: false,
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: 5 * 60_000,
    });
  }

  private async run(): Promise<void> {
    const log = this.opts.logger;
    for (let attempt = 1; !this.abort.signal.aborted;) {
      const client = this.newClient();
      this.client = client;
      const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
      client.on('error', (err: Error) => log.warn('IMAP connection error', { error: err.message }));
      client.on('exists', () => this.notify());
      try {
        await client.connect();
        await client.mailboxOpen(this.mailbox);
        this.connected = true;
        attempt = 1;
        log.info('following the mailbox with IMAP IDLE', { mailbox: this.mailbox });
        while (!this.abort.signal.aborted && client.usable) {
          this.pending = false;
          await this.drain(client);
          if (this.pending) continue; // mail arrived while we were reading
          // IDLE now rather than after imapflow's idle delay; the next command (our drain) ends it.
          client
            .idle()
            .catch((err: Error) => log.warn('IMAP IDLE ended with an error', { error: err.message }));
          // New mail (IDLE's EXISTS), a closed connection, or the fallback poll, whichever is first.
          await Promise.race([
            this.nextWake(),
            closed,
            sleep(this.opts.pollIntervalMs ?? 60_000, this.abort.signal),
          ]);
        }
      } catch (err) {
        if (this.abort.signal.aborted) break;
        log.warn('mailbox unavailable; will reconnect', {
          attempt,
          error: err instanceof Error ? err.message : String(err),
        });
      } finally {
        this.connected = false;
      }
      if (this.abort.signal.aborted) break;
      client.close();
      const delay = backoffDelay(attempt++, 500, this.opts.reconnectMaxMs);
      await sleep(delay, this.abort.signal);
    }
  }

  private notify(): void {
    this.pending = true;
    this.wake?.();
  }

  private nextWake(): Promise<void> {
    return new Promise((resolve) => {
      this.wake = () => {
        this.wake = undefined;
        resolve();
      };
    });
  }

  /** Reads every message after the cursor, one at a time, saving the cursor after each. */
  private async drain(client: ImapFlow): Promise<void> {
    const box = client.mailbox;
    if (!box) throw new Error('mailbox is not open');
    const uidValidity = String(box.uidValidity);
    let cursor = parseCursor(await this.opts.cursors.load('email', this.sourceKey));
    if (cursor && cursor.uidValidity !== uidValidity) {
      this.opts.logger.warn('mailbox UIDVALIDITY changed; reading it again from the start', {
        mailbox: this.mailbox,
      });
      cursor = null;
    }
    const after = cursor?.uid ?? 0;
    // "n:*" always matches the newest message, even below n, hence the filter.
    const uids = ((await client.search({ uid: `${after + 1}:*` }, { uid: true })) || [])
      .filter((u) => u > after)
      .sort((a, b) => a - b);
    for (const uid of uids) {
      if (this.abort.signal.aborted) return;
      const message = await client.fetchOne(String(uid), { uid: true, source: true }, { uid: true });
      if (!message || !message.source) continue; // expunged meanwhile
      await this.handleWithRetry({ uid, uidValidity, source: message.source });
      await this.opts.cursors.save('email', this.sourceKey, `${uidValidity}:${uid}`);
    }
  }

  private async handleWithRetry(message: MailboxMessage): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.opts.onMessage(message);
        return;
      } catch (err) {
        if (err instanceof PermanentError) {
          // One unreadable mail must not stop the mailbox; it stays on the server for a person to see.
          this.opts.logger.error('mail cannot be taken in; skipped', {
            uid: message.uid,
            code: err.code,
            error: err.message,
          });
          return;
        }
        if (this.abort.signal.aborted) throw err;
        const delay = backoffDelay(attempt, 500, this.opts.reconnectMaxMs);
        this.opts.logger.warn('mail not taken in yet; will retry', {
          uid: message.uid,
          attempt,
          delayMs: delay,
          error: err instanceof Error ? err.message : String(err),
        });
        await sleep(delay, this.abort.signal);
        if (this.abort.signal.aborted) throw err;
      }
    }
  }
}
