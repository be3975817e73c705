import type { PollBatch } from '@aduan/channel-sdk';
import type { Logger } from '@aduan/platform';
import { ImapFlow } from 'imapflow';

/** One mail as read from the mailbox; `raw` is the message in latin1, byte for byte. */
export interface MailboxItem {
  uid: number;
  uidValidity: string;
  raw: string;
}

const BATCH = 10;

/** Cursor text: "<UIDVALIDITY>:<UID>", the last message taken in of that mailbox generation. */
function parseCursor(cursor: string | null): { uidValidity: string; uid: number } | null {
  const m = /^(\d+):(\d+)$/.exec(cursor ?? '');
  return m ? { uidValidity: m[1]!, uid: Number(m[2]) } : null;
}

/**
 * The complaint mailbox as a long poll: a poll reads the mail after the cursor in UID order and,
 * when there is none, waits in IMAP IDLE until new mail arrives (or `idleMs`, in case a
 * notification is missed). A lost connection makes the poll fail; the runner's backoff then
 * decides when the next poll connects again. If UIDVALIDITY changed, old UIDs mean nothing, so
 * the mailbox is read again from the start; report ids come from Message-IDs, so that repeats
 * nothing downstream.
 */
export class Mailbox {
  readonly mailbox: string;
  /** Also the cursor key of the watcher this replaced, so an upgrade resumes where it was. */
  readonly key: string;
  private client: ImapFlow | undefined;
  private news = false;

  constructor(
    private readonly url: URL,
    private readonly log: Logger,
    private readonly idleMs = 60_000,
  ) {
    this.mailbox = decodeURIComponent(url.pathname.replace(/^\//, '')) || 'INBOX';
    this.key = `${url.hostname}:${url.port}/${decodeURIComponent(url.username)}/${this.mailbox}`;
  }

  get connected(): boolean {
    return Boolean(this.client?.usable);
  }

  async poll(cursor: string | null, signal: AbortSignal): Promise<PollBatch<MailboxItem>> {
    const client = await this.open();
    const uidValidity = String((client.mailbox || { uidValidity: '' }).uidValidity);
    let after = parseCursor(cursor);
    if (after && after.uidValidity !== uidValidity) {
      this.log.warn('mailbox UIDVALIDITY changed; reading it again from the start', {
        mailbox: this.mailbox,
      });
      after = null;
    }
    const from = after?.uid ?? 0;
    let uids = await this.search(client, from);
    if (!uids.length && !this.news) {
      await this.idle(client, signal);
      uids = signal.aborted ? [] : await this.search(client, from);
    }
    const batch = uids.slice(0, BATCH);
    const items: MailboxItem[] = [];
    if (batch.length) {
      for await (const m of client.fetch(batch.join(','), { uid: true, source: true }, { uid: true }))
        if (m.source) items.push({ uid: m.uid, uidValidity, raw: m.source.toString('latin1') });
    }
    items.sort((a, b) => a.uid - b.uid);
    const last = batch.at(-1);
    return {
      items,
      next: last !== undefined ? `${uidValidity}:${last}` : after ? null : `${uidValidity}:0`,
      more: uids.length > BATCH || this.news,
    };
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.logout().catch(() => client.close());
  }

  /** UIDs after `from`; "n:*" always matches the newest message, even below n, hence the filter. */
  private async search(client: ImapFlow, from: number): Promise<number[]> {
    this.news = false;
    const uids = (await client.search({ uid: `${from + 1}:*` }, { uid: true })) || [];
    return uids.filter((u) => u > from).sort((a, b) => a - b);
  }

  private async open(): Promise<ImapFlow> {
    if (this.client?.usable) return this.client;
    this.client?.close();
    const secure = this.url.protocol === 'imaps:';
    const client = new ImapFlow({
      host: this.url.hostname,
      port: this.url.port ? Number(this.url.port) : secure ? 993 : 143,
      secure,
      // Plain imap:// is for loopback test servers; never negotiate what the URL did not ask for.
      doSTARTTLS: secure ? undefined : false,
      auth: { user: decodeURIComponent(this.url.username), pass: decodeURIComponent(this.url.password) },
      logger: false,
      emitLogs: false,
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: 5 * 60_000,
    });
    client.on('error', (err: Error) => this.log.warn('IMAP connection error', { error: err.message }));
    client.on('exists', () => (this.news = true));
    this.client = client;
    await client.connect();
    await client.mailboxOpen(this.mailbox);
    this.log.info('following the mailbox with IMAP IDLE', { mailbox: this.mailbox });
    return client;
  }

  /** Until new mail (IDLE's EXISTS), a closed connection, shutdown or `idleMs`, whichever is first. */
  private idle(client: ImapFlow, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        client.off('exists', done);
        client.off('close', done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, this.idleMs);
      client.on('exists', done);
      client.on('close', done);
      signal.addEventListener('abort', done);
      // The next command (the search that follows) ends IDLE.
      client
        .idle()
        .catch((err: Error) => this.log.warn('IMAP IDLE ended with an error', { error: err.message }));
    });
  }
}
