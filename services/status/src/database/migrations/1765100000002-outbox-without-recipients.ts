import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notifications no longer name their recipient (ADR 0055); those written to the outbox before
 * kept the citizen's address in clear, published or not. It is removed from every one of them:
 * adapters answer from their own record, so a pending one is still delivered.
 */
export class OutboxWithoutRecipients1765100000002 implements MigrationInterface {
  name = 'OutboxWithoutRecipients1765100000002';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `UPDATE outbox SET payload = payload - 'recipient' WHERE topic = 'aduan.notification.v1' AND payload ? 'recipient'`,
    );
  }

  async down(): Promise<void> {
    // The addresses are gone on purpose; nothing to restore.
  }
}
