import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One conversation row per (channel, address, report) instead of per (channel, address): a
 * citizen with a newer report must still get notifications about an older one threaded where
 * that one began. The open report of an address is its most recently active row.
 */
export class ConversationPerReport1764400000001 implements MigrationInterface {
  name = 'ConversationPerReport1764400000001';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE channel_conversation DROP CONSTRAINT channel_conversation_pkey`);
    await db.query(`ALTER TABLE channel_conversation ADD PRIMARY KEY (channel, address_hash, report_id)`);
    await db.query(
      `CREATE INDEX channel_conversation_recent_idx ON channel_conversation (channel, address_hash, last_activity_at DESC)`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX channel_conversation_recent_idx`);
    await db.query(`
      DELETE FROM channel_conversation c USING channel_conversation newer
      WHERE c.channel = newer.channel AND c.address_hash = newer.address_hash AND c.last_activity_at < newer.last_activity_at`);
    await db.query(`ALTER TABLE channel_conversation DROP CONSTRAINT channel_conversation_pkey`);
    await db.query(`ALTER TABLE channel_conversation ADD PRIMARY KEY (channel, address_hash)`);
  }
}
