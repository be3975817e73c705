import type { LifecycleState } from '@aduan/contracts';
import type { EntityManager } from 'typeorm';
import type { ReportRow, TransitionInput } from '../reports/report-store';
import type { HolidayCalendar } from './working-days';

export const SLA_STAGES = [
  'coordination',
  'resolution',
  'lapor_response',
  'lapor_follow_up',
  'lapor_completion',
] as const;
export type SlaStage = (typeof SLA_STAGES)[number];

const HOUR_MS = 3600_000;
const TERMINAL: readonly LifecycleState[] = ['COMPLETED', 'REJECTED', 'MERGED'];

/** Which states stop which clock. A terminal state stops every clock. */
const MET_BY: Record<SlaStage, readonly LifecycleState[]> = {
  coordination: ['IN_PROGRESS', 'DISPOSITION', 'AWAITING_VALIDATION'],
  resolution: [],
  lapor_response: ['IN_PROGRESS', 'DISPOSITION', 'AWAITING_VALIDATION'],
  lapor_follow_up: ['AWAITING_VALIDATION'],
  lapor_completion: [],
};

/**
 * The SLA clocks of a report (Pergub DKI 128/2017: coordination within 6 hours, resolution
 * within 7 days; SP4N-LAPOR!: 3 / 5 / 10 working days). Clocks start and stop with the
 * transitions, in the transition's own database transaction; due times live in Postgres so
 * that the scheduler finds them after a restart.
 */
export class SlaClocks {
  constructor(private readonly calendar: HolidayCalendar) {}

  async onTransition(tx: EntityManager, report: ReportRow, t: TransitionInput): Promise<void> {
    const at = new Date(t.at);
    const state = report.state;
    if (TERMINAL.includes(state)) {
      await tx.query(`UPDATE sla_clock SET met_at = $2 WHERE report_id = $1 AND met_at IS NULL`, [
        report.id,
        at,
      ]);
      return;
    }
    const received = report.received_at ? new Date(report.received_at) : null;
    if (received)
      await this.start(
        tx,
        report.id,
        'resolution',
        received,
        new Date(received.getTime() + 7 * 24 * HOUR_MS),
      );
    // The responsible unit has 6 hours from the moment the report reaches it to take it up.
    if (report.unit && (state === 'RECEIVED' || state === 'COORDINATION')) {
      await this.start(tx, report.id, 'coordination', at, new Date(at.getTime() + 6 * HOUR_MS));
    }
    if (report.channel === 'lapor' && received) {
      await this.start(tx, report.id, 'lapor_response', received, this.calendar.addWorkingDays(received, 3));
      await this.start(tx, report.id, 'lapor_follow_up', received, this.calendar.addWorkingDays(received, 5));
      await this.start(
        tx,
        report.id,
        'lapor_completion',
        received,
        this.calendar.addWorkingDays(received, 10),
      );
    }
    const met = SLA_STAGES.filter((s) => MET_BY[s].includes(state));
    if (met.length) {
      await tx.query(
        `UPDATE sla_clock SET met_at = $3 WHERE report_id = $1 AND stage = ANY($2) AND met_at IS NULL`,
        [report.id, met, at],
      );
    }
  }

  private async start(
    tx: EntityManager,
    reportId: string,
    stage: SlaStage,
    startedAt: Date,
    dueAt: Date,
  ): Promise<void> {
    await tx.query(
      `INSERT INTO sla_clock (report_id, stage, started_at, due_at) VALUES ($1, $2, $3, $4) ON CONFLICT (report_id, stage) DO NOTHING`,
      [reportId, stage, startedAt, dueAt],
    );
  }
}
