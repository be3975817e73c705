import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Full-text search for officers (ADR 0066). PostgreSQL has no Indonesian configuration, and
 * stemming Indonesian well needs a dictionary we do not ship: `aduan_search` is 'simple' (lower
 * case, no stop words, no stems), with accents folded by unaccent where the server offers it, so
 * that "Jalan Cikini Raya" is found by "cikini" and "café" by "cafe". The index covers only what
 * the public may read of a complaint and its tracking code: a search must never tell an officer
 * which report holds a phone number or a name the officer cannot see.
 */
export class OfficerSearch1765600000000 implements MigrationInterface {
  name = 'OfficerSearch1765600000000';

  async up(db: QueryRunner): Promise<void> {
    const unaccent = await this.tryUnaccent(db);
    await db.query(`CREATE TEXT SEARCH CONFIGURATION aduan_search (COPY = simple)`);
    if (unaccent)
      await db.query(
        `ALTER TEXT SEARCH CONFIGURATION aduan_search ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple`,
      );
    // The expression is repeated word for word in officer/report-search.ts: the planner uses
    // the index only for that exact expression.
    await db.query(
      `CREATE INDEX report_search_idx ON report USING GIN (to_tsvector('aduan_search', coalesce(public_text, '') || ' ' || tracking_code))`,
    );
    // Search results come newest first; keyset paging walks this index.
    await db.query(
      `CREATE INDEX report_recent_idx ON report ((coalesce(received_at, created_at)) DESC, id DESC)`,
    );
  }

  /** unaccent is a trusted extension, but a server may lack it or refuse it: search works without. */
  private async tryUnaccent(db: QueryRunner): Promise<boolean> {
    const [available] = (await db.query(
      `SELECT count(*)::int AS n FROM pg_available_extensions WHERE name = 'unaccent'`,
    )) as Array<{ n: number }>;
    if (!available?.n) return false;
    await db.query('SAVEPOINT aduan_unaccent');
    try {
      await db.query('CREATE EXTENSION IF NOT EXISTS unaccent');
      await db.query('RELEASE SAVEPOINT aduan_unaccent');
      return true;
    } catch (err) {
      await db.query('ROLLBACK TO SAVEPOINT aduan_unaccent');
      // Not allowed to create extensions here: the search folds no accents, nothing else changes.
      if ((err as { code?: string }).code === '42501') return false;
      throw err;
    }
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP INDEX report_recent_idx');
    await db.query('DROP INDEX report_search_idx');
    await db.query('DROP TEXT SEARCH CONFIGURATION aduan_search');
  }
}
