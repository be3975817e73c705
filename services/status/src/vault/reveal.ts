import { randomUUID } from 'node:crypto';
import type { Reporter } from '@aduan/contracts';
import type { DataSource } from 'typeorm';
import type { OfficerPrincipal } from '../auth/tokens';
import { deny, writeAudit } from '../officer/access';
import { ApiError } from '../officer/api-error';
import { enqueue } from '../outbox/enqueue';
import type { AdapterContacts } from './adapter-contacts';
import { ErasedReporter, type IdentityVault, type SealedIdentity } from './identity-vault';

/** How long an approved request may be used by the officer who asked. */
const APPROVAL_VALID_MS = 24 * 60 * 60 * 1000;

export type RevealAnswer =
  | { status: 'awaiting-approval'; requestId: string }
  | { status: 'revealed'; contact: { channel: string } & Omit<Reporter, 'ref' | 'answers'> };

interface Kept {
  channel: string;
  sealed: string;
  wrapped: string | null;
}

/**
 * Revealing a reporter takes two officers (ADR 0055): one asks, with a reason; another one
 * approves; only then the one who asked sees the contact, once. An anonymous reporter is never
 * revealed (nothing of them is kept beyond the address their adapter answers on), nor an erased
 * one. Every step, granted or refused, leaves an audit row. A reporter named by reference
 * (ADR 0058) is revealed by the adapter that keeps their contact, asked only once the request is
 * approved.
 */
export class ContactReveal {
  constructor(
    private readonly db: DataSource,
    private readonly vault: IdentityVault,
    private readonly adapters: Pick<AdapterContacts, 'reveal'>,
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
    const granted = await this.db.transaction(async (tx) => {
      const [used] = (await tx.query(
        `UPDATE reveal_request SET used_at = now()
          WHERE id = $1 AND report_id = $2 AND requested_by = $3 AND approved_by IS NOT NULL
            AND used_at IS NULL AND approved_at > now() - make_interval(secs => $4)
          RETURNING approved_by, reason`,
        [requestId, reportId, who.id, APPROVAL_VALID_MS / 1000],
      )) as [Array<{ approved_by: string; reason: string }>, number];
      const request = used[0];
      if (!request) return null;
      // Within the transaction: an adapter that does not answer leaves the request unused.
      return { request, contact: await this.contactOf(kept.channel, reportId, identity) };
    });
    if (!granted) {
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
    const { request, contact } = granted;
    await writeAudit(this.db, who, {
      action: 'reveal-contact',
      outcome: 'granted',
      reportId,
      detail: { reason: request.reason, requestId, approvedBy: request.approved_by },
    });
    return { status: 'revealed', contact: { channel: kept.channel, ...contact } };
  }

  /** The contact: from the adapter for a reporter named by reference, else from the vault. */
  private async contactOf(
    channel: string,
    reportId: string,
    identity: SealedIdentity,
  ): Promise<Omit<Reporter, 'ref' | 'answers'>> {
    const { ref, answers: _answers, ...inVault } = identity.reporter;
    if (!ref) return inVault;
    return { anonymous: false, ...(await this.adapters.reveal(channel, reportId, ref)) };
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
  async erase(who: OfficerPrincipal, reportId: string, reason: string, now = new Date()): Promise<void> {
    const kept = await this.kept(reportId);
    const ref = this.refOf(reportId, kept);
    await this.db.transaction(async (tx) => {
      await tx.query('DELETE FROM reporter_key WHERE report_id = $1', [reportId]);
      // A contact sealed before ADR 0055 (v1) has no key of its own: its ciphertext goes instead.
      await tx.query(
        `UPDATE report_reporter SET pseudonym = 'Pelapor (dihapus)',
                sealed = CASE WHEN sealed LIKE 'v1.%' THEN 'v2..' ELSE sealed END
          WHERE report_id = $1`,
        [reportId],
      );
      // The adapter keeps the contact, the reply address and the conversation (ADR 0058): the
      // erasure reaches its store through the outbox, so it is never lost between the two.
      await enqueue(tx, 'aduan.reporter.erased.v1', {
        reportId,
        channel: kept.channel,
        ...(ref ? { ref } : {}),
        erasedAt: now.toISOString(),
      });
    });
    await writeAudit(this.db, who, {
      action: 'erase-reporter',
      outcome: 'granted',
      reportId,
      detail: { reason },
    });
  }

  /** The reporter's reference, while the vault can still open it (not after a first erasure). */
  private refOf(reportId: string, kept: Kept): string | undefined {
    try {
      return this.vault.open(reportId, kept.sealed, kept.wrapped).reporter.ref;
    } catch (err) {
      if (err instanceof ErasedReporter) return undefined;
      throw err;
    }
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
