import type { PollBatch, PollIngress, SourceCursors } from '@aduan/channel-sdk';
import type { Logger } from '@aduan/platform';
import { ImapFlow } from 'imapflow';
import { passwordSignIn, type SignIn } from '../sign-in';

/** How long a shutdown waits for the server to answer LOGOUT. */
const LOGOUT_WAIT_MS = 3_000;

/** One mail as read from the mailbox; `raw` is the message in latin1, byte for byte. */
export interface MailboxItem {
  uid: number;
  uidValidity: string;
  raw: string;
}

const BATCH = 10;

/**
 * The complaint mailbox as a poll ingress with a long poll: a poll reads the mail after the
 * cursor ("<UIDVALIDITY>:<UID>") in UID order and, when there is none, waits in IMAP IDLE until
 * new mail arrives (or `idleMs`, in case a notification is missed). A lost connection fails the
 * poll; the runner's backoff decides when the next one connects again. If UIDVALIDITY changed,
 * old UIDs mean nothing, so the mailbox is read again from the start; report ids come from
 * Message-IDs, so that repeats nothing downstream.
 */
export class Mailbox implements PollIngress<MailboxItem> {
  readonly name = 'imap';
  readonly partitions: string[];
  readonly intervalMs = 250;
  readonly maxBackoffMs: number;
  private readonly mailbox: string;
  private client: ImapFlow | undefined;
  private news = false;

  constructor(
    private readonly url: URL,
    readonly handle: (item: MailboxItem, log: Logger) => Promise<void>,
    private readonly opts: {
      log: Logger;
      cursors: SourceCursors;
      maxBackoffMs: number;
      idleMs?: number;
      /** Default: the user and password in the URL. */
      signIn?: SignIn;
    },
  ) {
    this.maxBackoffMs = opts.maxBackoffMs;
    this.mailbox = decodeURIComponent(url.pathname.replace(/^\//, '')) || 'INBOX';
    this.partitions = [`${url.hostname}:${url.port}/${decodeURIComponent(url.username)}/${this.mailbox}`];
  }

  idOf = (item: MailboxItem): string => `imap:${item.uidValidity}:${item.uid}`;

  assertConnected(): void {
    if (!this.client?.usable) throw new Error('not connected to the IMAP server');
  }

  async poll(partition: string, saved: string | null, signal: AbortSignal): Promise<PollBatch<MailboxItem>> {
    // The watcher before the channel kit kept its position under the bare partition key.
    const cursor = saved ?? (await this.opts.cursors.load('email', partition));
    const client = await this.open();
    const uidValidity = String((client.mailbox || { uidValidity: '' }).uidValidity);
    const m = /^(\d+):(\d+)$/.exec(cursor ?? '');
    const after = m?.[1] === uidValidity ? Number(m[2]) : 0;
    if (m && m[1] !== uidValidity)
      this.opts.log.warn('mailbox UIDVALIDITY changed; reading it again from the start', {
        mailbox: this.mailbox,
      });
    let uids = await this.search(client, after);
    if (!uids.length && !this.news) {
      await this.idle(client, signal);
      uids = signal.aborted ? [] : await this.search(client, after);
    }
    const batch = uids.slice(0, BATCH);
    const items: MailboxItem[] = [];
    if (batch.length)
      for await (const msg of client.fetch(batch.join(','), { uid: true, source: true }, { uid: true }))
        if (msg.source) items.push({ uid: msg.uid, uidValidity, raw: msg.source.toString('latin1') });
    const last = batch.at(-1) ?? after;
    return {
      items: items.sort((a, b) => a.uid - b.uid),
      next: `${uidValidity}:${last}`,
      more: uids.length > BATCH || this.news,
    };
  }

  /**
   * A polite LOGOUT, but bounded: a server that never answers it (a dead connection, an expired
   * session) must not hold the service's shutdown, so past the wait the socket is just closed.
   */
  async close(): Promise<void> {
    const client = this.client;
    if (!client) return;
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), LOGOUT_WAIT_MS);
    });
    const outcome = await Promise.race([client.logout().then(() => 'done' as const), waited]).catch(
      () => 'failed' as const,
    );
    clearTimeout(timer);
    if (outcome !== 'done') client.close();
  }

  /** UIDs after `after`; "n:*" always matches the newest message, even below n, hence the filter. */
  private async search(client: ImapFlow, after: number): Promise<number[]> {
    this.news = false;
    const uids = (await client.search({ uid: `${after + 1}:*` }, { uid: true })) || [];
    return uids.filter((u) => u > after).sort((a, b) => a - b);
  }

  private async open(): Promise<ImapFlow> {
    if (this.client?.usable) return this.client;
    this.client?.close();
    const secure = this.url.protocol === 'imaps:';
    const signIn = this.opts.signIn ?? passwordSignIn(this.url);
    const auth = await signIn.credentials();
    const client = new ImapFlow({
      host: this.url.hostname,
      port: this.url.port ? Number(this.url.port) : secure ? 993 : 143,
      secure,
      // Plain imap:// is for loopback test servers; never negotiate what the URL did not ask for.
      doSTARTTLS: secure ? undefined : false,
      ...(auth && { auth }),
      logger: false,
      emitLogs: false,
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: 5 * 60_000,
    });
    client.on('error', (err: Error) => this.opts.log.warn('IMAP connection error', { error: err.message }));
    client.on('exists', () => (this.news = true));
    this.client = client;
    try {
      await client.connect();
    } catch (err) {
      const e = err as Error & { authenticationFailed?: boolean; serverResponseCode?: string };
      if (!e.authenticationFailed || !auth) throw err;
      signIn.refused(auth);
      // The server's own words may echo the user name; its response code says enough.
      throw new Error(
        `the IMAP server refused the sign-in (${e.serverResponseCode ?? 'AUTHENTICATIONFAILED'})`,
      );
    }
    await client.mailboxOpen(this.mailbox);
    this.opts.log.info('following the mailbox with IMAP IDLE', { mailbox: this.mailbox });
    return client;
  }

  /** Until new mail (IDLE's EXISTS), a closed connection, shutdown or `idleMs`, whichever is first. */
  private idle(client: ImapFlow, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        client.off('exists', done).off('close', done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, this.opts.idleMs ?? 60_000);
      client.on('exists', done).on('close', done);
      signal.addEventListener('abort', done);
      // The next command (the search that follows) ends IDLE.
      client
        .idle()
        .catch((err: Error) => this.opts.log.warn('IMAP IDLE ended with an error', { error: err.message }));
    });
  }
}
