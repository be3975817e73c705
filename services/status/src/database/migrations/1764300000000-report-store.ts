import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ReportStore1764300000000 implements MigrationInterface {
  name = 'ReportStore1764300000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE report (
        id               uuid PRIMARY KEY,
        tracking_code    text NOT NULL UNIQUE,
        channel          text,
        text             text,
        subject          text,
        category_hint    text,
        visibility       text NOT NULL DEFAULT 'public',
        lat              double precision,
        lon              double precision,
        attachments      jsonb NOT NULL DEFAULT '[]',
        received_at      timestamptz,
        state            text NOT NULL,
        category         text,
        area             jsonb,
        unit             jsonb,
        routing          jsonb,
        merged_into      uuid,
        version          integer NOT NULL DEFAULT 1,
        created_at       timestamptz NOT NULL DEFAULT now(),
        updated_at       timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX report_state_idx ON report (state, updated_at)`);

    // Personal data lives apart from the report so that it can be protected (and audited) on its own.
    await db.query(`
      CREATE TABLE report_reporter (
        report_id   uuid PRIMARY KEY REFERENCES report(id),
        channel     text NOT NULL,
        contact     jsonb NOT NULL,
        reply_to    jsonb,
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);

    // The lifecycle history. `cause` makes each transition idempotent: a redelivered event
    // finds its row already there. `ordinal` breaks ties between causes with equal times.
    await db.query(`
      CREATE TABLE report_transition (
        id           bigserial PRIMARY KEY,
        report_id    uuid NOT NULL REFERENCES report(id),
        cause        text NOT NULL,
        ordinal      smallint NOT NULL,
        from_state   text,
        to_state     text NOT NULL,
        at           timestamptz NOT NULL,
        actor        jsonb NOT NULL,
        public_note  text,
        internal_note text,
        unit         jsonb,
        evidence     jsonb NOT NULL DEFAULT '[]',
        recorded_at  timestamptz NOT NULL DEFAULT now(),
        UNIQUE (report_id, cause)
      )`);
    await db.query(
      `CREATE INDEX report_transition_timeline_idx ON report_transition (report_id, at, ordinal, id)`,
    );

    // Nothing is ever deleted or rewritten: history is append-only, enforced by the database.
    await db.query(`
      CREATE FUNCTION refuse_history_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'report history is append-only (% on %)', TG_OP, TG_TABLE_NAME;
      END $$`);
    await db.query(`
      CREATE TRIGGER report_transition_append_only BEFORE UPDATE OR DELETE ON report_transition
      FOR EACH ROW EXECUTE FUNCTION refuse_history_change()`);
    await db.query(`
      CREATE TRIGGER report_no_delete BEFORE DELETE ON report
      FOR EACH ROW EXECUTE FUNCTION refuse_history_change()`);

    // Transactional outbox: events are written with the change they describe and relayed to Kafka.
    await db.query(`
      CREATE TABLE outbox (
        id            bigserial PRIMARY KEY,
        topic         text NOT NULL,
        key           text NOT NULL,
        payload       jsonb NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now(),
        published_at  timestamptz
      )`);
    await db.query(`CREATE INDEX outbox_pending_idx ON outbox (id) WHERE published_at IS NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE outbox');
    await db.query('DROP TABLE report_transition');
    await db.query('DROP TABLE report_reporter');
    await db.query('DROP TABLE report');
    await db.query('DROP FUNCTION refuse_history_change');
  }
}
