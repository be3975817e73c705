import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The tables every channel adapter shares. Several adapters may use one database, so names are
 * channel-neutral and every row carries its `channel`. No table holds a citizen's address in
 * clear: conversations are keyed by a keyed hash of it (see conversations.ts).
 */
export class ChannelStore1764400000000 implements MigrationInterface {
  name = 'ChannelStore1764400000000';

  async up(db: QueryRunner): Promise<void> {
    // Where each source resumes (IMAP UIDVALIDITY + UID, a tweet id, a feed guid…). Written only
    // after Kafka acknowledged the events up to that point.
    await db.query(`
      CREATE TABLE channel_cursor (
        channel     text NOT NULL,
        source_key  text NOT NULL,
        cursor      text NOT NULL,
        updated_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (channel, source_key)
      )`);

    // One row per message to a citizen (a notification id, or ack:<reportId>). `sent` rows are
    // never sent again; a `sending` row whose lease ran out was interrupted and may be retried.
    await db.query(`
      CREATE TABLE channel_delivery (
        delivery_id          text PRIMARY KEY,
        channel              text NOT NULL,
        report_id            uuid,
        kind                 text NOT NULL,
        status               text NOT NULL CHECK (status IN ('sending', 'sent', 'failed')),
        attempts             integer NOT NULL DEFAULT 1,
        claimed_at           timestamptz,
        sent_at              timestamptz,
        provider_message_id  text,
        last_error           text,
        created_at           timestamptz NOT NULL DEFAULT now(),
        updated_at           timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX channel_delivery_report_idx ON channel_delivery (report_id)`);

    // The open report of one citizen on one channel, and where replies to them thread.
    await db.query(`
      CREATE TABLE channel_conversation (
        channel           text NOT NULL,
        address_hash      text NOT NULL,
        report_id         uuid NOT NULL,
        tracking_code     text NOT NULL,
        thread            jsonb NOT NULL DEFAULT '{}',
        opened_at         timestamptz NOT NULL DEFAULT now(),
        last_activity_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (channel, address_hash)
      )`);
    await db.query(
      `CREATE INDEX channel_conversation_report_idx ON channel_conversation (channel, report_id)`,
    );

    // Thread keys (e-mail Message-IDs, WhatsApp context ids…) that lead back to a report.
    await db.query(`
      CREATE TABLE channel_thread (
        channel      text NOT NULL,
        thread_key   text NOT NULL,
        report_id    uuid NOT NULL,
        tracking_code text NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (channel, thread_key)
      )`);

    // Later messages that joined an open report instead of opening a new one, kept until the
    // contracts carry a follow-up event (docs/adr/0011).
    await db.query(`
      CREATE TABLE channel_follow_up (
        channel      text NOT NULL,
        source_id    text NOT NULL,
        report_id    uuid NOT NULL,
        text         text NOT NULL,
        attachments  jsonb NOT NULL DEFAULT '[]',
        received_at  timestamptz NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (channel, source_id)
      )`);
    await db.query(`CREATE INDEX channel_follow_up_report_idx ON channel_follow_up (report_id, received_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE channel_follow_up');
    await db.query('DROP TABLE channel_thread');
    await db.query('DROP TABLE channel_conversation');
    await db.query('DROP TABLE channel_delivery');
    await db.query('DROP TABLE channel_cursor');
  }
}
