/**
 * Source cursors: where an adapter resumes reading its source after a restart.
 *
 * The SDK owns the resume position (Kafka Connect's SourceTask idea): an adapter reads a
 * message, publishes it with `ComplaintIntake.submit` (which resolves only once Kafka has the
 * event), and only then calls `save` with the message's cursor. A crash before `save` means the
 * message is read again, and its deterministic report id makes the repeat harmless; a crash
 * after it means nothing is read twice. Never save a cursor ahead of what Kafka acknowledged.
 *
 *   const last = await cursors.load('email', 'INBOX');          // e.g. "1723456789:42"
 *   …read messages after it, submit each…
 *   await cursors.save('email', 'INBOX', `${uidValidity}:${uid}`);
 *
 * The cursor is opaque text to the SDK; its meaning (and comparing two of them) is the adapter's.
 */
import type { Channel } from '@aduan/contracts';
import type { DataSource } from 'typeorm';

export class SourceCursors {
  constructor(private readonly db: DataSource) {}

  /** The cursor saved last for this source, or null when it was never read. */
  async load(channel: Channel, sourceKey: string): Promise<string | null> {
    const rows = (await this.db.query(
      'SELECT cursor FROM channel_cursor WHERE channel = $1 AND source_key = $2',
      [channel, sourceKey],
    )) as Array<{ cursor: string }>;
    return rows[0]?.cursor ?? null;
  }

  /** Call only after Kafka acknowledged every event up to and including this position. */
  async save(channel: Channel, sourceKey: string, cursor: string): Promise<void> {
    await this.db.query(
      `INSERT INTO channel_cursor (channel, source_key, cursor) VALUES ($1, $2, $3)
       ON CONFLICT (channel, source_key) DO UPDATE SET cursor = EXCLUDED.cursor, updated_at = now()`,
      [channel, sourceKey, cursor],
    );
  }

  /** Forget a source's position (e.g. the mailbox was recreated): it is read from the start. */
  async reset(channel: Channel, sourceKey: string): Promise<void> {
    await this.db.query('DELETE FROM channel_cursor WHERE channel = $1 AND source_key = $2', [
      channel,
      sourceKey,
    ]);
  }
}
