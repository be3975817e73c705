import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An officer asked the citizen of a report a question (ADR 0074): until `answer_expected_until`
 * their next message on the channel is the answer, a follow-up of that report, even after the
 * conversation window closed or when the channel has none (e-mail without our subject).
 */
export class AwaitedAnswers1765810000000 implements MigrationInterface {
  name = 'AwaitedAnswers1765810000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE channel_conversation ADD COLUMN answer_expected_until timestamptz`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE channel_conversation DROP COLUMN answer_expected_until`);
  }
}
