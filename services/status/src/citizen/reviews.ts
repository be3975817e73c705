import type { ComplaintFollowUp, LifecycleState, Unit } from '@aduan/contracts';
import type { Logger } from '@aduan/platform';
import type { DataSource, EntityManager } from 'typeorm';
import type { Clock } from '../clock';
import { afterReopen } from '../lifecycle/reopen';
import { CITIZEN_TRANSITIONS } from '../lifecycle/state-machine';
import { ORDINAL, type ReportStore } from '../reports/report-store';
import { reviewSecretMatches } from './review-secret';

export type Verdict = 'confirmed' | 'not_fixed';
export type Via = 'page' | 'reply';

const DAY_MS = 24 * 3600_000;

/** Where a completed report stands in its review window. */
export interface ReviewWindow {
  /** The COMPLETED transition being reviewed; null when the report is not completed. */
  completionId: string | null;
  completedAt: Date | null;
  closesAt: Date | null;
  closedAt: Date | null;
  verdict: Verdict | null;
}

export type ReviewOutcome =
  | { ok: true; verdict: Verdict; state: LifecycleState; repeat: boolean }
  | { ok: false; reason: 'not-completed' | 'closed' | 'reviewed'; state: LifecycleState };

interface Locked {
  id: string;
  tracking_code: string;
  state: LifecycleState;
  unit: Unit | null;
  closed_at: Date | null;
}

const NOT_FIXED = ['belum beres', 'belum selesai', 'tidak beres', 'masih belum', 'not fixed', 'not resolved'];
const CONFIRMED = ['sudah beres', 'sudah selesai', 'sudah oke', 'fixed', 'resolved'];

/**
 * A reply that answers the completion message: its first written line starts with one of the
 * phrases the message asks for. Anything else stays an ordinary follow-up.
 */
export function verdictOfReply(text: string): Verdict | null {
  const line = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .find((l) => l && !l.startsWith('>'));
  if (!line) return null;
  const words = line
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const starts = (p: string) => words === p || words.startsWith(`${p} `);
  if (NOT_FIXED.some(starts)) return 'not_fixed';
  if (CONFIRMED.some(starts)) return 'confirmed';
  return null;
}

/**
 * The reporter's say after Selesai (ADR 0048): confirm, or "not fixed", which reopens the report
 * to the unit that last held it with a fresh resolution clock. A completed report whose review
 * window has ended is closed (`closed_at`), reviewed or not; closing is not a state change.
 */
export class CitizenReviews {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly db: DataSource,
    private readonly store: ReportStore,
    private readonly clock: Clock,
    private readonly windowDays: number,
    private readonly afterCommit: () => void,
    private readonly logger: Logger,
  ) {}

  async window(db: DataSource | EntityManager, reportId: string): Promise<ReviewWindow> {
    const [row] = (await db.query(
      `SELECT r.state, r.closed_at, t.id AS completion_id, t.at AS completed_at, v.verdict
         FROM report r
         LEFT JOIN LATERAL (SELECT id, at FROM report_transition
                             WHERE report_id = r.id AND to_state = 'COMPLETED' AND from_state <> 'COMPLETED'
                             ORDER BY at DESC, id DESC LIMIT 1) t ON r.state = 'COMPLETED'
         LEFT JOIN report_review v ON v.report_id = r.id AND v.completion_id = t.id
        WHERE r.id = $1`,
      [reportId],
    )) as Array<{
      state: LifecycleState;
      closed_at: Date | null;
      completion_id: string | null;
      completed_at: Date | null;
      verdict: Verdict | null;
    }>;
    const completedAt = row?.completed_at ? new Date(row.completed_at) : null;
    return {
      completionId: row?.completion_id ?? null,
      completedAt,
      closesAt: completedAt ? new Date(completedAt.getTime() + this.windowDays * DAY_MS) : null,
      closedAt: row?.closed_at ? new Date(row.closed_at) : null,
      verdict: row?.verdict ?? null,
    };
  }

  /** The reporter may still answer: completed, not yet answered, window not over. */
  isOpen(w: ReviewWindow): boolean {
    return !!w.closesAt && !w.closedAt && !w.verdict && w.closesAt > this.clock();
  }

  /** A review by the holder of the report's review key (the tracking page). */
  async reviewWithSecret(
    reportId: string,
    secret: string,
    verdict: Verdict,
  ): Promise<ReviewOutcome | 'forbidden'> {
    if (!(await reviewSecretMatches(this.db, reportId, secret))) return 'forbidden';
    return this.review(reportId, verdict, 'page');
  }

  /**
   * A reply on the reporter's own channel to a completed report: the adapter attached it to the
   * report (its thread, or the reporter's own tracking code), so it comes from the reporter's
   * conversation. Answers the verdict taken, or null when the follow-up is not a review.
   */
  async fromFollowUp(e: ComplaintFollowUp): Promise<Verdict | null> {
    if ((e.kind ?? 'message') !== 'message') return null;
    const verdict = verdictOfReply(e.text);
    if (!verdict) return null;
    const [own] = (await this.db.query(
      `SELECT 1 FROM report r JOIN report_reporter rr ON rr.report_id = r.id
        WHERE r.id = $1 AND rr.channel = $2 AND r.state = 'COMPLETED'`,
      [e.reportId, e.channel],
    )) as unknown[];
    if (!own) return null;
    // A redelivered reply must not answer a later completion (after a reopen) it never saw.
    const { completedAt } = await this.window(this.db, e.reportId);
    if (!completedAt || new Date(e.receivedAt) < completedAt) return null;
    const outcome = await this.review(e.reportId, verdict, 'reply');
    this.logger.info(outcome.ok ? "reply taken as the reporter's review" : 'review reply not taken', {
      reportId: e.reportId,
      verdict,
      ...(outcome.ok ? {} : { reason: outcome.reason }),
    });
    return outcome.ok ? verdict : null;
  }

  async review(reportId: string, verdict: Verdict, via: Via): Promise<ReviewOutcome> {
    const now = this.clock();
    const outcome = await this.db.transaction(async (tx): Promise<ReviewOutcome> => {
      const [report] = (await tx.query(
        'SELECT id, tracking_code, state, unit, closed_at FROM report WHERE id = $1 FOR UPDATE',
        [reportId],
      )) as Locked[];
      if (!report || !CITIZEN_TRANSITIONS['not-fixed'].from.includes(report.state))
        return { ok: false, reason: 'not-completed', state: report?.state ?? 'RECEIVED' };
      const w = await this.window(tx, reportId);
      if (w.verdict === verdict) return { ok: true, verdict, state: report.state, repeat: true };
      if (w.verdict) return { ok: false, reason: 'reviewed', state: report.state };
      if (report.closed_at || !w.closesAt || w.closesAt <= now)
        return { ok: false, reason: 'closed', state: report.state };
      await tx.query(
        `INSERT INTO report_review (report_id, completion_id, verdict, via, at) VALUES ($1, $2, $3, $4, $5)`,
        [reportId, w.completionId, verdict, via, now],
      );
      if (verdict === 'confirmed') return { ok: true, verdict, state: report.state, repeat: false };
      const unitName = report.unit?.name ?? 'unit yang berwenang';
      const recorded = await this.store.record(tx, {
        reportId,
        cause: `review:${w.completionId}`,
        ordinal: ORDINAL.officer,
        from: report.state,
        to: CITIZEN_TRANSITIONS['not-fixed'].to,
        at: now.toISOString(),
        actor: { kind: 'citizen', id: 'reporter' },
        publicNote: `Pelapor menyatakan masalahnya belum beres; laporan dibuka kembali dan dikembalikan ke ${unitName}.`,
        unit: report.unit,
      });
      await afterReopen(tx, report, now, true);
      return { ok: true, verdict, state: recorded?.report.state ?? 'IN_PROGRESS', repeat: false };
    });
    if (outcome.ok && !outcome.repeat) this.afterCommit();
    return outcome;
  }

  /** Closes every completed report whose review window has ended; answers how many. */
  async closeExpired(): Promise<number> {
    const cutoff = new Date(this.clock().getTime() - this.windowDays * DAY_MS);
    const [, closed] = (await this.db.query(
      `UPDATE report r SET closed_at = $2
        WHERE r.state = 'COMPLETED' AND r.closed_at IS NULL
          AND (SELECT max(at) FROM report_transition t
                WHERE t.report_id = r.id AND t.to_state = 'COMPLETED' AND t.from_state <> 'COMPLETED') <= $1`,
      [cutoff, this.clock()],
    )) as [unknown, number];
    return closed;
  }

  start(intervalMs: number): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.closeExpired()
        .then((n) => n && this.logger.info('closed reports whose review window ended', { reports: n }))
        .catch((err: unknown) =>
          this.logger.warn('closing reviewed reports failed; will retry', { error: String(err) }),
        )
        .finally(() => (this.running = undefined));
    }, intervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
