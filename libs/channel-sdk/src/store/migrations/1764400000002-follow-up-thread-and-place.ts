import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A follow-up is now published as `aduan.complaint.followup.v1` from its stored row, so the row
 * keeps everything the event carries: where the message threads and the place it shared.
 */
export class FollowUpThreadAndPlace1764400000002 implements MigrationInterface {
  name = 'FollowUpThreadAndPlace1764400000002';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE channel_follow_up ADD COLUMN thread text, ADD COLUMN location jsonb`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE channel_follow_up DROP COLUMN thread, DROP COLUMN location`);
  }
}
