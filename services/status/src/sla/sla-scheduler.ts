import type { Area, LifecycleState } from '@aduan/contracts';
import type { Logger, Metrics } from '@aduan/platform';
import type { DataSource, EntityManager } from 'typeorm';
import { ORDINAL, type ReportStore } from '../reports/report-store';
import type { Clock } from '../clock';
import { uuidFrom } from '../uuid-from';

/** Where the last escalation goes: every officer with the validator role. */
export const VALIDATOR_UNIT = 'VALIDATOR';

const STAGE_LABEL: Record<string, string> = {
  coordination: 'koordinasi (6 jam)',
  resolution: 'penyelesaian (7 hari)',
  lapor_response: 'respons LAPOR! (3 hari kerja)',
  lapor_follow_up: 'tindak lanjut LAPOR! (5 hari kerja)',
  lapor_completion: 'penyelesaian LAPOR! (10 hari kerja)',
};

/**
 * A reopened report runs a clock per reopen (`resolution_reopen_<n>`), and each unit's part of a
 * report handed to several units its own (`subtask:<id>`, ADR 0073); citizens read one label each.
 */
function stageLabel(stage: string): string {
  if (/^resolution_reopen_\d+$/.test(stage)) return 'penyelesaian setelah dibuka kembali (7 hari)';
  if (stage.startsWith('subtask:')) return 'penanganan bagian satu unit (7 hari)';
  return STAGE_LABEL[stage] ?? stage;
}

interface DueClock {
  report_id: string;
  stage: string;
  started_at: Date;
  due_at: Date;
  state: LifecycleState;
  area: Area | null;
  level: number;
}

/** The chain an overdue report climbs: kecamatan, kota, then the provincial validators. */
export function escalationChain(area: Area | null): Array<{ code: string; name: string }> {
  const chain = area
    ? [
        { code: area.kecamatan.kode, name: `Kecamatan ${area.kecamatan.nama}` },
        { code: area.kota.kode, name: area.kota.nama },
      ]
    : [];
  return [...chain, { code: VALIDATOR_UNIT, name: 'validator provinsi' }];
}

/**
 * Level n of a stage fires when the clock is overdue by (n − 1) times the stage's own length:
 * a coordination clock escalates at 6 h, 12 h and 18 h; a resolution clock at 7, 14, 21 days.
 */
export function escalationDueAt(clock: { started_at: Date; due_at: Date }, level: number): Date {
  const length = clock.due_at.getTime() - clock.started_at.getTime();
  return new Date(clock.due_at.getTime() + (level - 1) * length);
}

/**
 * Finds overdue clocks and escalates them, one report per transaction. The report row is locked
 * before its clocks and its state are read (ADR 0054), the same order an officer action takes
 * (report, then the clocks its transition stops), so an escalation racing an action waits for
 * it and notes the state the action left, never the one before. Each escalation is a row with a
 * unique (report, stage, level) key plus a transition with a unique cause, so a level fires once
 * even with two instances and across restarts. Time comes from the injected clock, never from
 * sleeps.
 */
export class SlaScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly db: DataSource,
    private readonly store: ReportStore,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly afterCommit: () => void,
    private readonly metrics?: Metrics,
  ) {
    // Read from the database at each scrape: the same figure from every instance.
    metrics?.gauge(
      'aduan_sla_overdue_clocks',
      'SLA clocks past their due time and not met, by stage',
      ['stage'],
      async (gauge) => {
        const rows = (await this.db
          .query(
            // Every unit's part has a clock of its own name; one label for them keeps the series few.
            `SELECT CASE WHEN stage LIKE 'subtask:%' THEN 'subtask' ELSE stage END AS stage, count(*)::int AS n
               FROM sla_clock WHERE met_at IS NULL AND due_at <= $1 GROUP BY 1`,
            [this.clock()],
          )
          .catch(() => [])) as Array<{ stage: string; n: number }>;
        gauge.reset();
        for (const r of rows) gauge.set({ stage: r.stage }, r.n);
      },
    );
  }

  start(intervalMs: number): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.tick()
        .catch((err: unknown) => this.logger.warn('SLA check failed; will retry', { error: String(err) }))
        .finally(() => (this.running = undefined));
    }, intervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One pass; answers how many escalations it fired. */
  async tick(): Promise<number> {
    const now = this.clock();
    // Candidates only: nothing is locked or trusted here; each report is read again under its lock.
    const due = (await this.db.query(
      `SELECT c.report_id FROM sla_clock c
        WHERE c.met_at IS NULL AND c.due_at <= $1
          AND NOT EXISTS (SELECT 1 FROM sla_escalation v WHERE v.report_id = c.report_id AND v.stage = c.stage AND v.target_unit = $2)
        GROUP BY c.report_id
        ORDER BY min(c.due_at)
        LIMIT 100`,
      [now, VALIDATOR_UNIT],
    )) as Array<{ report_id: string }>;
    let fired = 0;
    for (const { report_id } of due) {
      fired += await this.db.transaction((tx) => this.escalateReport(tx, report_id, now));
    }
    if (fired) {
      this.metrics?.counter('aduan_sla_escalations_total', 'SLA escalations fired').inc(fired);
      this.logger.info('escalated overdue reports', { escalations: fired });
      this.afterCommit();
    }
    return fired;
  }

  private async escalateReport(tx: EntityManager, reportId: string, now: Date): Promise<number> {
    const [report] = (await tx.query('SELECT state, area FROM report WHERE id = $1 FOR UPDATE', [
      reportId,
    ])) as Array<{ state: LifecycleState; area: Area | null }>;
    if (!report) return 0;
    const clocks = (await tx.query(
      `SELECT c.report_id, c.stage, c.started_at, c.due_at,
              (SELECT coalesce(max(e.level), 0) FROM sla_escalation e WHERE e.report_id = c.report_id AND e.stage = c.stage)::int AS level
         FROM sla_clock c
        WHERE c.report_id = $1 AND c.met_at IS NULL AND c.due_at <= $2
        ORDER BY c.due_at, c.stage
        FOR UPDATE OF c`,
      [reportId, now],
    )) as Array<Omit<DueClock, 'state' | 'area'>>;
    let fired = 0;
    for (const clock of clocks) fired += await this.escalate(tx, { ...clock, ...report }, now);
    return fired;
  }

  private async escalate(tx: EntityManager, clock: DueClock, now: Date): Promise<number> {
    const chain = escalationChain(clock.area);
    let fired = 0;
    for (
      let level = clock.level + 1;
      level <= chain.length && escalationDueAt(clock, level) <= now;
      level++
    ) {
      const target = chain[level - 1]!;
      const inserted = (await tx.query(
        `INSERT INTO sla_escalation (report_id, stage, level, target_unit, at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT DO NOTHING RETURNING level`,
        [clock.report_id, clock.stage, level, target.code, now],
      )) as unknown[];
      if (!inserted.length) continue;
      const note = `Batas waktu ${stageLabel(clock.stage)} terlampaui; laporan dieskalasi ke ${target.name}.`;
      const recorded = await this.store.record(tx, {
        reportId: clock.report_id,
        cause: `sla:${clock.stage}:${level}`,
        ordinal: ORDINAL.system,
        from: clock.state,
        to: clock.state,
        at: now.toISOString(),
        actor: { kind: 'system', id: 'sla-scheduler' },
        publicNote: note,
        internalNote: `escalation level ${level} to ${target.code}`,
      });
      await tx.query(
        `INSERT INTO officer_notification (id, unit_code, report_id, kind, message, at)
         VALUES ($1, $2, $3, 'escalation', $4, $5) ON CONFLICT (id) DO NOTHING`,
        [
          uuidFrom(`escalation:${clock.report_id}:${clock.stage}:${level}`),
          target.code,
          clock.report_id,
          `${recorded?.report.tracking_code ?? ''} ${note}`.trim(),
          now,
        ],
      );
      fired++;
    }
    return fired;
  }
}
