import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Durable outbound, API idempotency and quarantine for the channel kit's runner.
 *
 * - `channel_delivery` becomes the outbox as well as the log: a message is written `pending`
 *   with its text and its recipient sealed, and a worker sends it, so an acknowledgement
 *   survives a restart. The sealed recipient is cleared once the message is sent. A delivery
 *   receipt that arrives later (delivered, read, failed) is kept with it.
 * - `channel_idempotency`: an API client's Idempotency-Key with a hash of its body, so a retried
 *   request gets the first answer and the same key with another body is refused.
 * - `channel_quarantine`: what a source sent that can never be read, kept for officers while
 *   intake goes on.
 * - `channel_conversation.reply_to_sealed`: how the adapter answers this report's citizen, its
 *   own record, so a notification need not carry an address.
 */
export class OutboxIdempotencyQuarantine1764700000000 implements MigrationInterface {
  name = 'OutboxIdempotencyQuarantine1764700000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE channel_delivery DROP CONSTRAINT IF EXISTS channel_delivery_status_check`);
    await db.query(`
      ALTER TABLE channel_delivery
        ADD CONSTRAINT channel_delivery_status_check CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
        ADD COLUMN recipient_sealed  text,
        ADD COLUMN message           jsonb,
        ADD COLUMN next_attempt_at   timestamptz,
        ADD COLUMN receipt           text CHECK (receipt IN ('delivered', 'read', 'failed')),
        ADD COLUMN receipt_error     text,
        ADD COLUMN receipt_at        timestamptz`);
    await db.query(
      `CREATE INDEX channel_delivery_due_idx ON channel_delivery (channel, next_attempt_at) WHERE status IN ('pending', 'sending')`,
    );
    await db.query(
      `CREATE INDEX channel_delivery_provider_idx ON channel_delivery (channel, provider_message_id) WHERE provider_message_id IS NOT NULL`,
    );

    await db.query(`ALTER TABLE channel_conversation ADD COLUMN reply_to_sealed text`);

    await db.query(`
      CREATE TABLE channel_idempotency (
        client        text NOT NULL,
        key           text NOT NULL,
        body_hash     text NOT NULL,
        response      jsonb,
        created_at    timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (client, key)
      )`);

    await db.query(`
      CREATE TABLE channel_quarantine (
        id           bigserial PRIMARY KEY,
        channel      text NOT NULL,
        ingress      text NOT NULL,
        source_id    text,
        reason       text NOT NULL,
        excerpt      text,
        created_at   timestamptz NOT NULL DEFAULT now(),
        UNIQUE (channel, ingress, source_id)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE channel_quarantine');
    await db.query('DROP TABLE channel_idempotency');
    await db.query('ALTER TABLE channel_conversation DROP COLUMN reply_to_sealed');
    await db.query(`DELETE FROM channel_delivery WHERE status = 'pending'`);
    await db.query(`ALTER TABLE channel_delivery DROP CONSTRAINT channel_delivery_status_check`);
    await db.query(`
      ALTER TABLE channel_delivery
        ADD CONSTRAINT channel_delivery_status_check CHECK (status IN ('sending', 'sent', 'failed')),
        DROP COLUMN recipient_sealed, DROP COLUMN message, DROP COLUMN next_attempt_at,
        DROP COLUMN receipt, DROP COLUMN receipt_error, DROP COLUMN receipt_at`);
  }
}
