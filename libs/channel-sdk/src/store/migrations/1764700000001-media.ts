import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Photos and attachments of every channel, in the database every adapter already shares, so any
 * instance of any adapter can serve what another one stored (ADR 0014). Keyed by the SHA-256 of
 * the bytes as received: a message read twice, or the same photo sent on two channels, is one row.
 * No channel or report column: the same bytes may belong to several reports, and the events say
 * which.
 */
export class Media1764700000001 implements MigrationInterface {
  name = 'Media1764700000001';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE channel_media (
        sha256               text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        content_type         text NOT NULL,
        size                 integer NOT NULL,
        bytes                bytea NOT NULL,
        public_content_type  text NOT NULL,
        public_size          integer NOT NULL,
        -- NULL: the original is the public copy (files that are not images).
        public_bytes         bytea,
        width                integer,
        height               integer,
        pixels               bigint,
        created_at           timestamptz NOT NULL DEFAULT now()
      )`);
    // Photos, videos and PDFs are already compressed: skip PostgreSQL's attempt to compress
    // them again, which costs CPU on every write and saves nothing.
    await db.query(`
      ALTER TABLE channel_media
        ALTER COLUMN bytes SET STORAGE EXTERNAL,
        ALTER COLUMN public_bytes SET STORAGE EXTERNAL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE channel_media`);
  }
}
