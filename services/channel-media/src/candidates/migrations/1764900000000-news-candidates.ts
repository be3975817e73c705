import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * News items that may be complaints, waiting for an officer (ADR 0019). One row per item, keyed by
 * its identity (guid or link), so an item read again after a restart, or carried by two feeds, is
 * stored once. `id` is a hash of the key: short, URL-safe, and the same on every instance.
 */
export class NewsCandidates1764900000000 implements MigrationInterface {
  name = 'NewsCandidates1764900000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE news_candidate (
        id              text PRIMARY KEY,
        item_key        text NOT NULL UNIQUE,
        feed            text NOT NULL,
        title           text NOT NULL,
        summary         text NOT NULL,
        link            text NOT NULL CHECK (link ~ '^https?://'),
        published_at    timestamptz,
        keyword         text NOT NULL,
        place_kode      text NOT NULL,
        place_nama      text NOT NULL,
        place_level     text NOT NULL CHECK (place_level IN ('kelurahan', 'kecamatan', 'kota')),
        state           text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'promoted', 'dismissed')),
        dismiss_reason  text,
        decided_by      text,
        decided_at      timestamptz,
        report_id       text,
        tracking_code   text,
        found_at        timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX news_candidate_state ON news_candidate (state, found_at DESC)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE news_candidate`);
  }
}
