import type { DeliveryOutcome } from '@aduan/contracts';
import type { DataSource } from 'typeorm';

export interface DeliveryView {
  kind: DeliveryOutcome['kind'];
  channel: string;
  status: DeliveryOutcome['status'];
  reason: string | null;
  at: string;
}

/** Receipts can overtake the "sent" they confirm; a late `sent` never takes `delivered` or `failed` back. */
const RANK: Record<DeliveryOutcome['status'], number> = { sent: 0, delivered: 1, read: 2, failed: 3 };

/**
 * Keeps the latest known state of each message; outcomes may arrive late or twice. One
 * statement for a batch: each message's furthest outcome of the batch, then the same rule
 * against what is stored.
 */
export async function recordDeliveries(db: DataSource, outcomes: readonly DeliveryOutcome[]): Promise<void> {
  const furthest = new Map<string, DeliveryOutcome>();
  for (const o of outcomes) {
    const seen = furthest.get(o.deliveryId);
    if (!seen || RANK[o.status] >= RANK[seen.status]) furthest.set(o.deliveryId, o);
  }
  if (!furthest.size) return;
  const rows = [...furthest.values()];
  await db.query(
    `INSERT INTO report_delivery AS d (delivery_id, report_id, channel, kind, status, reason, at)
     SELECT delivery_id, report_id, channel, kind, status, reason, at
       FROM unnest($1::text[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[])
         AS v(delivery_id, report_id, channel, kind, status, reason, at)
     ON CONFLICT (delivery_id) DO UPDATE SET status = EXCLUDED.status, reason = EXCLUDED.reason, at = EXCLUDED.at
       WHERE (CASE EXCLUDED.status WHEN 'sent' THEN 0 WHEN 'delivered' THEN 1 WHEN 'read' THEN 2 ELSE 3 END)
          >= (CASE d.status WHEN 'sent' THEN 0 WHEN 'delivered' THEN 1 WHEN 'read' THEN 2 ELSE 3 END)`,
    [
      rows.map((o) => o.deliveryId),
      rows.map((o) => o.reportId),
      rows.map((o) => o.channel),
      rows.map((o) => o.kind),
      rows.map((o) => o.status),
      rows.map((o) => o.reason ?? null),
      rows.map((o) => o.at),
    ],
  );
}

export async function deliveriesOf(db: DataSource, reportId: string): Promise<DeliveryView[]> {
  const rows = (await db.query(
    `SELECT kind, channel, status, reason, at FROM report_delivery WHERE report_id = $1 ORDER BY at, delivery_id`,
    [reportId],
  )) as Array<{
    kind: DeliveryView['kind'];
    channel: string;
    status: DeliveryView['status'];
    reason: string | null;
    at: Date;
  }>;
  return rows.map((r) => ({ ...r, at: r.at.toISOString() }));
}
