import type { Logger } from '@aduan/platform';
import type { Response } from 'express';
import type { DataSource } from 'typeorm';
import type { Sessions } from '../auth/sessions';
import type { OfficerPrincipal } from '../auth/tokens';
import { PublicChanges } from '../public/public-changes';

/** An access token lives 5 minutes (ADR 0057): a stream ends with it, and the console reopens it with a fresh one. */
export const STREAM_LIFETIME_MS = 5 * 60_000;
const HEARTBEAT_MS = 15_000;

interface Stream {
  who: OfficerPrincipal;
  res: Response;
  until: number;
}

interface Changed {
  id: string;
  tracking_code: string;
  unit: string | null;
  escalated_to: string[];
}

/**
 * The officers' live queue: one `text/event-stream` per open console, told which report changed
 * (`event: report`, its id and tracking code, nothing else) whenever the database notifies a
 * commit on it (ADR 0047's triggers), so the console reloads its list instead of waiting a
 * minute. A unit officer hears only of reports its queue holds. The session is checked at every
 * heartbeat, so a signed-out or disabled officer's stream ends within one.
 */
export class OfficerEvents {
  private readonly streams = new Set<Stream>();
  private changes: PublicChanges | undefined;
  private listening: Promise<void> | undefined;
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: DataSource,
    private readonly sessions: Sessions,
    private readonly databaseUrl: string,
    private readonly logger: Logger,
  ) {}

  async open(who: OfficerPrincipal, res: Response): Promise<void> {
    await this.listen();
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    res.write('retry: 3000\n\nevent: ready\ndata: {}\n\n');
    const stream: Stream = { who, res, until: Date.now() + STREAM_LIFETIME_MS };
    this.streams.add(stream);
    res.on('close', () => this.streams.delete(stream));
  }

  /** The LISTEN connection opens with the first stream: an instance no officer watches holds none. */
  private listen(): Promise<void> {
    this.listening ??= this.startListening();
    return this.listening;
  }

  private async startListening(): Promise<void> {
    this.changes = new PublicChanges(
      this.databaseUrl,
      {
        changed: (code) => void this.changed(code),
        resync: () => this.sendAll('event: resync\ndata: {}\n\n'),
      },
      this.logger,
    );
    await this.changes.start();
    this.heartbeat = setInterval(() => void this.beat(), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  private async changed(code: string): Promise<void> {
    if (!this.streams.size) return;
    try {
      const [r] = (await this.db.query(
        `SELECT r.id, r.tracking_code, r.unit->>'code' AS unit,
                coalesce((SELECT array_agg(DISTINCT x.target_unit) FROM sla_escalation x WHERE x.report_id = r.id), '{}')
                  || coalesce((SELECT array_agg(DISTINCT t.unit_code) FROM report_task t WHERE t.report_id = r.id), '{}') AS escalated_to
           FROM report r WHERE r.tracking_code = $1`,
        [code],
      )) as Changed[];
      if (!r) return;
      const event = `event: report\ndata: ${JSON.stringify({ id: r.id, trackingCode: r.tracking_code })}\n\n`;
      for (const s of this.streams) if (this.sees(s.who, r)) s.res.write(event);
    } catch (err) {
      // The next change, or the minute's reload, brings the console up to date anyway.
      this.logger.warn('could not tell officers of a changed report', {
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }

  /**
   * The queue's scope: a unit officer sees its own unit's reports, those escalated to it and those
   * it works a part of (counted with the escalations: both grant the same reading).
   */
  private sees(who: OfficerPrincipal, r: Changed): boolean {
    if (who.role !== 'unit_officer') return true;
    return who.unit !== null && (r.unit === who.unit || r.escalated_to.includes(who.unit));
  }

  private async beat(): Promise<void> {
    const now = Date.now();
    for (const s of [...this.streams]) {
      try {
        const active =
          s.until > now &&
          s.who.sessionId !== undefined &&
          (await this.sessions.active(s.who.sessionId, s.who.id));
        if (active) s.res.write(': keep-alive\n\n');
        else this.end(s);
      } catch {
        // The session cannot be checked (the database is away): the stream ends, the console reopens it.
        this.end(s);
      }
    }
  }

  private sendAll(text: string): void {
    for (const s of this.streams) s.res.write(text);
  }

  private end(s: Stream): void {
    this.streams.delete(s);
    s.res.end();
  }

  async stop(): Promise<void> {
    clearInterval(this.heartbeat);
    for (const s of [...this.streams]) this.end(s);
    await this.listening?.catch(() => undefined);
    await this.changes?.stop();
    this.changes = undefined;
    this.listening = undefined;
  }
}
