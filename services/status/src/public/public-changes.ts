import type { Logger } from '@aduan/platform';
import { Client } from 'pg';

export const PUBLIC_CHANGE_CHANNEL = 'report_public_change';

export interface PublicChangeHandlers {
  /** A committed change touched the report with this tracking code (its public view may differ). */
  changed(trackingCode: string): void;
  /** The listening connection was lost and is back: notifications in between were missed. */
  resync(): void;
}

/**
 * One LISTEN connection per status instance on the channel the database triggers notify
 * (migration 1764960000000). Every instance hears every commit, whichever instance made it, so
 * a citizen's stream may be held by any of them. A lost connection is re-opened with a growing
 * pause for as long as the database is away; once back, every open stream re-reads its view.
 */
export class PublicChanges {
  private client: Client | undefined;
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;
  private pauseMs = 500;
  private everConnected = false;

  constructor(
    private readonly databaseUrl: string,
    private readonly handlers: PublicChangeHandlers,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    await this.connect();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({
      connectionString: this.databaseUrl,
      application_name: 'status-public-changes',
    });
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client, new Error('connection ended')));
    client.on('notification', (msg) => {
      if (msg.channel === PUBLIC_CHANGE_CHANNEL && msg.payload) this.handlers.changed(msg.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${PUBLIC_CHANGE_CHANNEL}`);
    } catch (err) {
      this.lost(client, err);
      return;
    }
    this.client = client;
    this.pauseMs = 500;
    if (this.everConnected) {
      this.logger.info('listening for public changes again; open streams re-read their reports');
      this.handlers.resync();
    }
    this.everConnected = true;
  }

  private lost(client: Client, err: unknown): void {
    if (this.stopped || (this.client && this.client !== client)) return;
    this.client = undefined;
    client.removeAllListeners('end');
    client.on('error', () => undefined);
    void client.end().catch(() => undefined);
    if (this.retry) return;
    this.logger.warn('lost the connection that listens for public changes; reconnecting', {
      error: err instanceof Error ? err.message : String(err),
      retryInMs: this.pauseMs,
    });
    this.retry = setTimeout(() => {
      this.retry = undefined;
      void this.connect();
    }, this.pauseMs);
    this.pauseMs = Math.min(this.pauseMs * 2, 30_000);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    const client = this.client;
    this.client = undefined;
    if (client) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
    }
  }
}
