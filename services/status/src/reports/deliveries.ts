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

/** Keeps the latest known state of one message; outcomes may arrive late or twice. */
export async function recordDelivery(db: DataSource, o: DeliveryOutcome): Promise<void> {
  await db.query(
    `INSERT INTO report_delivery (delivery_id, report_id, channel, kind, status, reason, at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (delivery_id) DO UPDATE SET status = EXCLUDED.status, reason = EXCLUDED.reason, at = EXCLUDED.at
       WHERE $8 >= (CASE report_delivery.status WHEN 'sent' THEN 0 WHEN 'delivered' THEN 1 WHEN 'read' THEN 2 ELSE 3 END)`,
    [o.deliveryId, o.reportId, o.channel, o.kind, o.status, o.reason ?? null, o.at, RANK[o.status]],
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
