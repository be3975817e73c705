/**
 * What a source sent that can never be taken in (a mail whose headers break the contract, a
 * webhook item of an unknown shape): kept here with the reason, once per source item, while
 * intake goes on with the next one. Officers see the count in metrics and the rows here.
 */
import type { Channel } from '@aduan/contracts';
import type { DataSource } from 'typeorm';

export interface QuarantinedItem {
  channel: Channel;
  ingress: string;
  sourceId: string | null;
  reason: string;
  excerpt: string | null;
  createdAt: Date;
}

const EXCERPT = 2000;

export class Quarantine {
  constructor(private readonly db: DataSource) {}

  async keep(item: {
    channel: Channel;
    ingress: string;
    sourceId?: string;
    reason: string;
    excerpt?: string;
  }): Promise<void> {
    await this.db.query(
      `INSERT INTO channel_quarantine (channel, ingress, source_id, reason, excerpt) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (channel, ingress, source_id) DO UPDATE SET reason = EXCLUDED.reason`,
      [
        item.channel,
        item.ingress,
        item.sourceId ?? null,
        item.reason.slice(0, 1000),
        // NUL is the one character PostgreSQL text cannot hold.
        item.excerpt?.replaceAll('\u0000', '').slice(0, EXCERPT) ?? null,
      ],
    );
  }

  async list(channel?: Channel, limit = 100): Promise<QuarantinedItem[]> {
    const rows = (await this.db.query(
      `SELECT channel, ingress, source_id, reason, excerpt, created_at FROM channel_quarantine
        WHERE $1::text IS NULL OR channel = $1 ORDER BY id DESC LIMIT $2`,
      [channel ?? null, limit],
    )) as Array<{
      channel: Channel;
      ingress: string;
      source_id: string | null;
      reason: string;
      excerpt: string | null;
      created_at: Date;
    }>;
    return rows.map((r) => ({
      channel: r.channel,
      ingress: r.ingress,
      sourceId: r.source_id,
      reason: r.reason,
      excerpt: r.excerpt,
      createdAt: r.created_at,
    }));
  }
}
