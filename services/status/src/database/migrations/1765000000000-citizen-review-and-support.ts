import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The citizen's say after Selesai and other citizens' support (ADR 0048): the hash of each
 * report's review secret, the reviews, the close of the review window, supporters (hashed) and
 * the shared per-IP rate-limit counters. Nothing here is personal data in clear.
 */
export class CitizenReviewAndSupport1765000000000 implements MigrationInterface {
  name = 'CitizenReviewAndSupport1765000000000';

  async up(db: QueryRunner): Promise<void> {
    // Set when the review window of a completed report ends; cleared by a reopen.
    await db.query('ALTER TABLE report ADD COLUMN closed_at timestamptz');
    await db.query(`
      CREATE TABLE report_review_secret (
        report_id    uuid PRIMARY KEY REFERENCES report(id),
        secret_hash  text NOT NULL,
        issued_at    timestamptz NOT NULL
      )`);
    // One review per completion: the COMPLETED transition it answers is part of the key.
    await db.query(`
      CREATE TABLE report_review (
        report_id      uuid NOT NULL REFERENCES report(id),
        completion_id  bigint NOT NULL REFERENCES report_transition(id),
        verdict        text NOT NULL CHECK (verdict IN ('confirmed', 'not_fixed')),
        via            text NOT NULL CHECK (via IN ('page', 'reply')),
        at             timestamptz NOT NULL,
        PRIMARY KEY (report_id, completion_id)
      )`);
    await db.query(`
      CREATE TABLE report_support (
        report_id       uuid NOT NULL REFERENCES report(id),
        supporter_hash  text NOT NULL,
        at              timestamptz NOT NULL,
        PRIMARY KEY (report_id, supporter_hash)
      )`);
    await db.query(`
      CREATE TABLE public_rate_limit (
        bucket        text NOT NULL,
        window_start  timestamptz NOT NULL,
        hits          integer NOT NULL,
        PRIMARY KEY (bucket, window_start)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const t of ['public_rate_limit', 'report_support', 'report_review', 'report_review_secret'])
      await db.query(`DROP TABLE ${t}`);
    await db.query('ALTER TABLE report DROP COLUMN closed_at');
  }
}
