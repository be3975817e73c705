/**
 * Status changes held until channel-lapor knows whose report they are (ADR 0018).
 *
 * `aduan.report.lifecycle.v1` names no channel: a transition is LAPOR!'s when channel-lapor has
 * the report's way back to LAPOR!. For a LAPOR! item an officer entered by hand, that way back is
 * recorded when the entry's `aduan.complaint.received.v1` passes another consumer group, and the
 * status service's first transition of it may come before. Such a transition is held here, in
 * channel-lapor's own table, and queued once the entry makes the report LAPOR!'s.
 */
import type { DataSource } from 'typeorm';
import type { StatusPost } from './mapping';

/**
 * How long a transition of a report not known as LAPOR!'s is kept. The entry that makes it
 * LAPOR!'s is read by the same process, normally seconds later; a day also covers that consumer
 * group lagging through a long outage of the database. The clock starts when the transition is
 * handled, not at its own time, so catching up after downtime holds afresh. Other channels'
 * transitions are held too (nothing tells them apart) and are deleted once this has passed.
 */
export const HOLD_FOR_HOURS = 24;

export interface HeldStatusChange {
  reportId: string;
  sequence: number;
  trackingCode: string;
  /** The post as LAPOR! gets it: states, sequence, time and the public note, nothing of the reporter. */
  post: StatusPost;
}

interface Row {
  report_id: string;
  sequence: number;
  tracking_code: string;
  post: StatusPost;
}

export class HeldStatusChanges {
  constructor(private readonly db: DataSource) {}

  /** Holds a transition (once, however often it is delivered) and lets the expired ones go. */
  async hold(c: HeldStatusChange): Promise<void> {
    await this.db.query(
      `INSERT INTO lapor_held_status_change (report_id, sequence, tracking_code, post)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (report_id, sequence) DO NOTHING`,
      [c.reportId, c.sequence, c.trackingCode, JSON.stringify(c.post)],
    );
    await this.db.query(
      `DELETE FROM lapor_held_status_change WHERE held_at < now() - make_interval(hours => $1)`,
      [HOLD_FOR_HOURS],
    );
  }

  /** The report's held transitions, in their order. */
  async of(reportId: string): Promise<HeldStatusChange[]> {
    const rows = (await this.db.query(
      `SELECT report_id, sequence, tracking_code, post FROM lapor_held_status_change
        WHERE report_id = $1 ORDER BY sequence`,
      [reportId],
    )) as Row[];
    return rows.map((r) => ({
      reportId: r.report_id,
      sequence: r.sequence,
      trackingCode: r.tracking_code,
      post: r.post,
    }));
  }

  /** Drops transitions once they are in the outbox. */
  async release(reportId: string, sequences: readonly number[]): Promise<void> {
    if (!sequences.length) return;
    await this.db.query(
      `DELETE FROM lapor_held_status_change WHERE report_id = $1 AND sequence = ANY($2::int[])`,
      [reportId, sequences],
    );
  }
}
