import { randomUUID } from 'node:crypto';
import type { Reporter } from '@aduan/contracts';
import type { DataSource } from 'typeorm';
import type { OfficerPrincipal } from '../auth/tokens';
import { deny, writeAudit } from '../officer/access';
import { ApiError } from '../officer/api-error';
import { ErasedReporter, type IdentityVault } from './identity-vault';

/** How long an approved request may be used by the officer who asked. */
const APPROVAL_VALID_MS = 24 * 60 * 60 * 1000;

export type RevealAnswer =
  | { status: 'awaiting-approval'; requestId: string }
  | { status: 'revealed'; contact: { channel: string } & Reporter };

interface Kept {
  channel: string;
  sealed: string;
  wrapped: string | null;
}

/**
 * Revealing a reporter takes two officers (ADR 0055): one asks, with a reason; another one
 * approves; only then the one who asked sees the contact, once. An anonymous reporter is never
 * revealed (nothing of them is kept beyond the address their adapter answers on), nor an erased
 * one. Every step, granted or refused, leaves an audit row.
 */
export class ContactReveal {
  constructor(
    private readonly db: DataSource,
    private readonly vault: IdentityVault,
  ) {}

  async reveal(
    who: OfficerPrincipal,
    reportId: string,
    reason: string,
    requestId?: string,
  ): Promise<RevealAnswer> {
    const kept = await this.kept(reportId);
    let identity;
    try {
      identity = this.vault.open(reportId, kept.sealed, kept.wrapped);
    } catch (err) {
      if (err instanceof ErasedReporter)
        await deny(this.db, who, 'reveal-contact', reportId, 'the reporter of this report was erased');
      throw err;
    }
    if (identity.reporter.anonymous)
      await deny(this.db, who, 'reveal-contact', reportId, 'an anonymous reporter is never revealed');
    if (!requestId) {
      const id = randomUUID();
      await this.db.query(
        `INSERT INTO reveal_request (id, report_id, requested_by, reason) VALUES ($1, $2, $3, $4)`,
        [id, reportId, who.id, reason],
      );
      await writeAudit(this.db, who, {
        action: 'reveal-requested',
        outcome: 'granted',
        reportId,
        detail: { reason, requestId: id },
      });
      return { status: 'awaiting-approval', requestId: id };
    }
    const [used] = (await this.db.query(
      `UPDATE reveal_request SET used_at = now()
        WHERE id = $1 AND report_id = $2 AND requested_by = $3 AND approved_by IS NOT NULL
          AND used_at IS NULL AND approved_at > now() - make_interval(secs => $4)
        RETURNING approved_by, reason`,
      [requestId, reportId, who.id, APPROVAL_VALID_MS / 1000],
    )) as [Array<{ approved_by: string; reason: string }>, number];
    const request = used[0];
    if (!request) {
      await writeAudit(this.db, who, {
        action: 'reveal-contact',
        outcome: 'denied',
        reportId,
        detail: { requestId, why: 'no approved request of this officer' },
      });
      throw new ApiError(
        409,
        'NOT_APPROVED',
        'this request was not approved by a second officer, was used already or has expired',
      );
    }
    await writeAudit(this.db, who, {
      action: 'reveal-contact',
      outcome: 'granted',
      reportId,
      detail: { reason: request.reason, requestId, approvedBy: request.approved_by },
    });
    return { status: 'revealed', contact: { channel: kept.channel, ...identity.reporter } };
  }

  /** A second officer approves; the one who asked never approves their own request. */
  async approve(who: OfficerPrincipal, reportId: string, requestId: string): Promise<void> {
    const [request] = (await this.db.query(
      `SELECT requested_by, approved_by FROM reveal_request WHERE id = $1 AND report_id = $2`,
      [requestId, reportId],
    )) as Array<{ requested_by: string; approved_by: string | null }>;
    if (!request) throw new ApiError(404, 'NOT_FOUND', 'no such reveal request for this report');
    if (request.requested_by === who.id)
      await deny(this.db, who, 'reveal-approved', reportId, 'a second officer must approve this request');
    if (request.approved_by) throw new ApiError(409, 'ALREADY_APPROVED', 'this request was approved already');
    await this.db.query(
      `UPDATE reveal_request SET approved_by = $2, approved_at = now() WHERE id = $1 AND approved_by IS NULL`,
      [requestId, who.id],
    );
    await writeAudit(this.db, who, {
      action: 'reveal-approved',
      outcome: 'granted',
      reportId,
      detail: { requestId },
    });
  }

  /**
   * Erases the reporter of a report (a data subject's request): their data key is deleted, so the
   * sealed contact can never be opened again, and the pseudonym that linked their reports goes.
   * The report, its text and its history stay. Idempotent.
   */
  async erase(who: OfficerPrincipal, reportId: string, reason: string): Promise<void> {
    await this.kept(reportId);
    await this.db.transaction(async (tx) => {
      await tx.query('DELETE FROM reporter_key WHERE report_id = $1', [reportId]);
      // A contact sealed before ADR 0055 (v1) has no key of its own: its ciphertext goes instead.
      await tx.query(
        `UPDATE report_reporter SET pseudonym = 'Pelapor (dihapus)',
                sealed = CASE WHEN sealed LIKE 'v1.%' THEN 'v2..' ELSE sealed END
          WHERE report_id = $1`,
        [reportId],
      );
    });
    await writeAudit(this.db, who, {
      action: 'erase-reporter',
      outcome: 'granted',
      reportId,
      detail: { reason },
    });
  }

  private async kept(reportId: string): Promise<Kept> {
    const [row] = (await this.db.query(
      `SELECT rr.channel, rr.sealed, k.wrapped FROM report_reporter rr
         LEFT JOIN reporter_key k ON k.report_id = rr.report_id WHERE rr.report_id = $1`,
      [reportId],
    )) as Kept[];
    if (!row) throw new ApiError(404, 'NOT_FOUND', 'this report has no reporter on record');
    return row;
  }
}
