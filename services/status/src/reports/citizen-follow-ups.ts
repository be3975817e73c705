import type { Attachment, ComplaintFollowUp, FollowUpKind, GeoPoint } from '@aduan/contracts';
import { redactText } from '@aduan/platform';
import type { DataSource } from 'typeorm';

/** A follow-up as officers see it in the report detail. */
export interface FollowUpView {
  id: string;
  channel: string;
  /** `message`, or an edit or a deletion of what the citizen wrote before (Meta channels). */
  kind: FollowUpKind;
  at: string;
  receivedAt: string;
  /** Contact details the citizen wrote are masked, as in the report's own text. */
  text: string;
  attachments: Array<{ url: string; contentType: string; name: string | null }>;
  location: { lat: number; lon: number } | null;
}

/**
 * Citizens' later messages about a report. Append-only and keyed by the event's `followUpId`,
 * so a redelivered event is stored once; stored by report id alone, so one that overtakes its
 * report waits for it. Answers false for a repeat.
 */
export async function recordFollowUp(db: Pick<DataSource, 'query'>, e: ComplaintFollowUp): Promise<boolean> {
  const rows = (await db.query(
    `INSERT INTO report_follow_up (id, report_id, channel, source_id, source_thread, source_received_at, text, attachments, location, received_at, kind)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (id) DO NOTHING RETURNING id`,
    [
      e.followUpId,
      e.reportId,
      e.channel,
      e.source.id,
      e.source.thread ?? null,
      e.source.receivedAt,
      e.text,
      JSON.stringify(e.attachments),
      e.location ? JSON.stringify(e.location) : null,
      e.receivedAt,
      e.kind ?? 'message',
    ],
  )) as unknown[];
  return rows.length > 0;
}

export async function followUpsOf(db: DataSource, reportId: string): Promise<FollowUpView[]> {
  const rows = (await db.query(
    `SELECT id, channel, kind, source_received_at, received_at, text, attachments, location FROM report_follow_up
      WHERE report_id = $1 ORDER BY source_received_at, received_at, id`,
    [reportId],
  )) as Array<{
    id: string;
    channel: string;
    kind: FollowUpKind;
    source_received_at: Date;
    received_at: Date;
    text: string;
    attachments: Attachment[];
    location: GeoPoint | null;
  }>;
  return rows.map((r) => ({
    id: r.id,
    channel: r.channel,
    kind: r.kind,
    at: r.source_received_at.toISOString(),
    receivedAt: r.received_at.toISOString(),
    text: redactText(r.text),
    attachments: r.attachments.map((a) => ({ url: a.url, contentType: a.contentType, name: a.name ?? null })),
    location: r.location ? { lat: r.location.lat, lon: r.location.lon } : null,
  }));
}
