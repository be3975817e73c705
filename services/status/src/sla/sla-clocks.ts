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
interface ClockStart {
  reportId: string;
  stage: SlaStage;
  startedAt: Date;
  dueAt: Date;
}

interface ClockStop {
  reportId: string;
  stage: SlaStage;
  at: Date;
}

export class SlaClocks {
  constructor(private readonly calendar: HolidayCalendar) {}

  /**
   * Starts and stops the clocks of the reports that just changed: two statements for any
   * number of reports, so a batch of intake events costs what one does. Each report appears
   * once; its clocks start before any is stopped, as one report's transition would do it.
   */
  async onTransitions(
    tx: EntityManager,
    changes: ReadonlyArray<{ report: ReportRow; t: TransitionInput }>,
  ): Promise<void> {
    const starts: ClockStart[] = [];
    const stops: ClockStop[] = [];
    for (const change of changes) this.plan(change.report, change.t, starts, stops);
    if (starts.length)
      await tx.query(
        `INSERT INTO sla_clock (report_id, stage, started_at, due_at)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::timestamptz[])
         ON CONFLICT (report_id, stage) DO NOTHING`,
        [
          starts.map((c) => c.reportId),
          starts.map((c) => c.stage),
          starts.map((c) => c.startedAt),
          starts.map((c) => c.dueAt),
        ],
      );
    if (stops.length)
      await tx.query(
        `UPDATE sla_clock c SET met_at = v.at
           FROM unnest($1::uuid[], $2::text[], $3::timestamptz[]) AS v(report_id, stage, at)
          WHERE c.report_id = v.report_id AND c.stage = v.stage AND c.met_at IS NULL`,
        [stops.map((c) => c.reportId), stops.map((c) => c.stage), stops.map((c) => c.at)],
      );
  }

  /** The clocks one transition starts and stops. */
  private plan(report: ReportRow, t: TransitionInput, starts: ClockStart[], stops: ClockStop[]): void {
    const at = new Date(t.at);
    const state = report.state;
    const stop = (stages: readonly SlaStage[]) =>
      stops.push(...stages.map((stage) => ({ reportId: report.id, stage, at })));
    if (TERMINAL.includes(state)) {
      stop(SLA_STAGES);
      return;
    }
    const start = (stage: SlaStage, startedAt: Date, dueAt: Date) =>
      starts.push({ reportId: report.id, stage, startedAt, dueAt });
    const received = report.received_at ? new Date(report.received_at) : null;
    if (received) start('resolution', received, new Date(received.getTime() + 7 * 24 * HOUR_MS));
    // The responsible unit has 6 hours from the moment the report reaches it to take it up.
    if (report.unit && (state === 'RECEIVED' || state === 'COORDINATION')) {
      start('coordination', at, new Date(at.getTime() + 6 * HOUR_MS));
    }
    if (report.channel === 'lapor' && received) {
      start('lapor_response', received, this.calendar.addWorkingDays(received, 3));
      start('lapor_follow_up', received, this.calendar.addWorkingDays(received, 5));
      start('lapor_completion', received, this.calendar.addWorkingDays(received, 10));
    }
    stop(SLA_STAGES.filter((s) => MET_BY[s].includes(state)));
  }
}
