import { createHash } from 'node:crypto';
import { migrateAdapterTables } from '@aduan/channel-sdk';
import type { Logger } from '@aduan/platform';
import type { DataSource } from 'typeorm';
import type { NewsMatch, MatchedPlace } from '../feeds/news-filter';
import type { NewsItem } from '../feeds/news-item';
import { NEWS_CANDIDATE_MIGRATIONS_TABLE, newsCandidateMigrations } from './migrations';

export const CANDIDATE_STATES = ['pending', 'promoted', 'dismissed'] as const;
export type CandidateState = (typeof CANDIDATE_STATES)[number];

/** What an officer sees of a candidate: public news, no personal data of anyone. */
export interface Candidate {
  id: string;
  /** The outlet's feed, as NEWS_FEEDS names it. */
  outlet: string;
  title: string;
  summary: string;
  link: string;
  publishedAt: string | null;
  keyword: string;
  place: MatchedPlace;
  state: CandidateState;
  dismissReason: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  report: { reportId: string; trackingCode: string } | null;
  foundAt: string;
}

interface Row {
  id: string;
  feed: string;
  title: string;
  summary: string;
  link: string;
  published_at: Date | null;
  keyword: string;
  place_kode: string;
  place_nama: string;
  place_level: MatchedPlace['level'];
  state: CandidateState;
  dismiss_reason: string | null;
  decided_by: string | null;
  decided_at: Date | null;
  report_id: string | null;
  tracking_code: string | null;
  found_at: Date;
}

/** The candidate's id: a hash of the item's identity, so the same item always has the same id. */
export function candidateId(itemKey: string): string {
  return createHash('sha256').update(itemKey).digest('hex').slice(0, 32);
}

function toCandidate(r: Row): Candidate {
  return {
    id: r.id,
    outlet: r.feed,
    title: r.title,
    summary: r.summary,
    link: r.link,
    publishedAt: r.published_at?.toISOString() ?? null,
    keyword: r.keyword,
    place: { kode: r.place_kode, nama: r.place_nama, level: r.place_level },
    state: r.state,
    dismissReason: r.dismiss_reason,
    decidedBy: r.decided_by,
    decidedAt: r.decided_at?.toISOString() ?? null,
    report: r.report_id && r.tracking_code ? { reportId: r.report_id, trackingCode: r.tracking_code } : null,
    foundAt: r.found_at.toISOString(),
  };
}

/** News candidates in channel-media's own table, in the database the channel kit opened. */
export class NewsCandidates {
  constructor(private readonly db: DataSource) {}

  /**
   * Applies channel-media's migrations. The kit opens the database with its own migrations only,
   * so ours run once at start on a short-lived connection under their own history table.
   */
  static async migrate(url: string, logger: Logger, startupWaitMs?: number): Promise<void> {
    await migrateAdapterTables({
      url,
      migrations: newsCandidateMigrations,
      historyTable: NEWS_CANDIDATE_MIGRATIONS_TABLE,
      logger,
      ...(startupWaitMs !== undefined ? { startupWaitMs } : {}),
    });
  }

  /** Keeps a matching item as a pending candidate; false when it was already there (read before). */
  async add(item: NewsItem, match: NewsMatch): Promise<boolean> {
    const rows = (await this.db.query(
      `INSERT INTO news_candidate
         (id, item_key, feed, title, summary, link, published_at, keyword, place_kode, place_nama, place_level)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (item_key) DO NOTHING
       RETURNING id`,
      [
        candidateId(item.key),
        item.key,
        item.feed,
        item.title,
        item.summary,
        item.link,
        item.publishedAt ?? null,
        match.keyword,
        match.place.kode,
        match.place.nama,
        match.place.level,
      ],
    )) as Array<{ id: string }>;
    return rows.length > 0;
  }

  /** Pending ones newest news first; decided ones latest decision first. */
  async list(state: CandidateState, limit: number): Promise<Candidate[]> {
    const rows = (await this.db.query(
      `SELECT * FROM news_candidate WHERE state = $1
       ORDER BY CASE WHEN state = 'pending' THEN coalesce(published_at, found_at) ELSE decided_at END DESC NULLS LAST, id
       LIMIT $2`,
      [state, limit],
    )) as Row[];
    return rows.map(toCandidate);
  }

  async get(id: string): Promise<Candidate | null> {
    const rows = (await this.db.query('SELECT * FROM news_candidate WHERE id = $1', [id])) as Row[];
    return rows[0] ? toCandidate(rows[0]) : null;
  }

  /** The item's identity, which the report's id derives from. */
  async keyOf(id: string): Promise<string | null> {
    const rows = (await this.db.query('SELECT item_key FROM news_candidate WHERE id = $1', [id])) as Array<{
      item_key: string;
    }>;
    return rows[0]?.item_key ?? null;
  }

  /**
   * Records the report a candidate became. A candidate promoted meanwhile keeps its first record;
   * one dismissed while its report was being published is promoted all the same: the report exists.
   */
  async markPromoted(
    id: string,
    officer: string,
    report: { reportId: string; trackingCode: string },
  ): Promise<Candidate | null> {
    await this.db.query(
      `UPDATE news_candidate
          SET state = 'promoted', decided_by = $2, decided_at = now(), report_id = $3, tracking_code = $4
        WHERE id = $1 AND state <> 'promoted'`,
      [id, officer, report.reportId, report.trackingCode],
    );
    return this.get(id);
  }

  /** Dismisses a pending candidate; returns it as it now is (already decided: unchanged). */
  async dismiss(id: string, officer: string, reason: string): Promise<Candidate | null> {
    await this.db.query(
      `UPDATE news_candidate
          SET state = 'dismissed', decided_by = $2, decided_at = now(), dismiss_reason = $3
        WHERE id = $1 AND state = 'pending'`,
      [id, officer, reason],
    );
    return this.get(id);
  }

  async countPending(): Promise<number> {
    const rows = (await this.db.query(
      `SELECT count(*)::int AS n FROM news_candidate WHERE state = 'pending'`,
    )) as Array<{ n: number }>;
    return rows[0]?.n ?? 0;
  }
}
