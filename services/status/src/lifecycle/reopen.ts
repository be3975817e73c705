import type { Unit } from '@aduan/contracts';
import type { EntityManager } from 'typeorm';
import { uuidFrom } from '../uuid-from';

const RESOLUTION_MS = 7 * 24 * 3600_000;

/**
 * What every reopen of a completed report does besides its transition (ADR 0048): the review
 * window no longer applies, the unit gets a fresh 7-day resolution clock and a notification.
 * The clock is a stage of its own per reopen (`resolution_reopen_<n>`), so the first clock and
 * its escalations stay in the history as they were and the new one escalates afresh.
 */
export async function afterReopen(
  tx: EntityManager,
  report: { id: string; tracking_code: string; unit: Unit | null },
  at: Date,
  byCitizen: boolean,
): Promise<void> {
  await tx.query('UPDATE report SET closed_at = NULL WHERE id = $1', [report.id]);
  const [{ n }] = (await tx.query(
    `SELECT count(*)::int AS n FROM report_transition
      WHERE report_id = $1 AND from_state = 'COMPLETED' AND to_state <> 'COMPLETED'`,
    [report.id],
  )) as Array<{ n: number }>;
  await tx.query(
    `INSERT INTO sla_clock (report_id, stage, started_at, due_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (report_id, stage) DO NOTHING`,
    [report.id, `resolution_reopen_${n}`, at, new Date(at.getTime() + RESOLUTION_MS)],
  );
  if (!report.unit) return;
  const who = byCitizen ? 'Pelapor menyatakan masalahnya belum beres' : 'Laporan dibuka kembali';
  await tx.query(
    `INSERT INTO officer_notification (id, unit_code, report_id, kind, message, at)
     VALUES ($1, $2, $3, 'reopened', $4, $5) ON CONFLICT (id) DO NOTHING`,
    [
      uuidFrom(`reopened:${report.id}:${n}`),
      report.unit.code,
      report.id,
      `${report.tracking_code} ${who}; laporan kembali ke unit Anda dengan batas waktu penyelesaian baru 7 hari.`,
      at,
    ],
  );
}
