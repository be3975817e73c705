import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sub-tasks of a report handed to several units at once (ADR 0073). Each unit's part has its own
 * state, assignee, version and SLA clock (an `sla_clock` row with the stage `subtask:<id>`); the
 * report moves on to validation when none of its parts is still open. A unit holds at most one
 * open part of a report: the partial unique index refuses the second.
 */
export class ReportTasks1765800000000 implements MigrationInterface {
  name = 'ReportTasks1765800000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE report_task (
        id           uuid PRIMARY KEY,
        -- The order the parts were handed out in, which the clock alone cannot tell (one instant, one round).
        position     bigint GENERATED ALWAYS AS IDENTITY,
        report_id    uuid NOT NULL REFERENCES report(id),
        round        integer NOT NULL,
        unit_code    text NOT NULL,
        unit         jsonb NOT NULL,
        state        text NOT NULL CHECK (state IN ('OPEN', 'IN_PROGRESS', 'DONE', 'CANCELLED')),
        assignee     uuid REFERENCES officer(id),
        assigned_at  timestamptz,
        note         text,
        evidence     jsonb NOT NULL DEFAULT '[]',
        created_at   timestamptz NOT NULL,
        created_by   uuid NOT NULL REFERENCES officer(id),
        started_at   timestamptz,
        done_at      timestamptz,
        done_by      uuid REFERENCES officer(id),
        version      integer NOT NULL DEFAULT 1
      )`);
    await db.query(
      `CREATE UNIQUE INDEX report_task_open_unit_idx ON report_task (report_id, unit_code) WHERE state IN ('OPEN', 'IN_PROGRESS')`,
    );
    // A unit's queue and the live stream look reports up by the units working on them.
    await db.query(`CREATE INDEX report_task_unit_idx ON report_task (unit_code, report_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE report_task');
  }
}
