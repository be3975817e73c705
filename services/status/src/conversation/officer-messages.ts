import { randomUUID } from 'node:crypto';
import type { Channel, ComplaintFollowUp, LifecycleState } from '@aduan/contracts';
import { redactText } from '@aduan/platform';
import type { DataSource, EntityManager } from 'typeorm';
import type { OfficerPrincipal } from '../auth/tokens';
import type { Clock } from '../clock';
import { OPEN_STATES } from '../lifecycle/state-machine';
import { ApiError } from '../officer/api-error';
import { writeAudit } from '../officer/access';
import { enqueue } from '../outbox/enqueue';
import { uuidFrom } from '../uuid-from';
import { ErasedReporter, isAnswered, type IdentityVault } from '../vault/identity-vault';
import { renderOfficerMessage, type OfficerMessageKind } from './officer-message-text';

/**
 * Channels whose adapter takes no `aduan.notification.v1` (their `notifications: false`): JAKI
 * pushes state changes to its app's backend and Open311 clients poll. A message there would be
 * recorded and never read, so it is refused instead (ADR 0074).
 */
export const CHANNELS_WITHOUT_MESSAGES: readonly Channel[] = ['jaki', 'open311'];

/** Who may talk to a citizen: whoever works the report. Validators judge follow-ups only. */
const ROLES = ['admin', 'crm_officer', 'unit_officer'] as const;

export function mayMessageCitizen(role: string, state: LifecycleState): boolean {
  return (ROLES as readonly string[]).includes(role) && OPEN_STATES.includes(state);
}

export interface OfficerMessageInput {
  kind: OfficerMessageKind;
  /** Already made plain and checked by the controller. */
  text: string;
  /** Makes a retry idempotent: the same action id answers the message it created. */
  actionId?: string;
}

/** One entry of the conversation as officers see it. */
export interface ConversationEntry {
  id: string;
  kind: OfficerMessageKind;
  at: string;
  author: { id: string; displayName: string | null };
  /** What the officer wrote, as sent. */
  text: string;
  /** What became of the message on its channel, once the adapter says (null until then). */
  delivery: { status: string; reason: string | null; at: string } | null;
  /** A question's answer: the citizen's follow-up that ended the wait. */
  answer: { followUpId: string; at: string; text: string } | null;
}

export interface ConversationView {
  /** The oldest question still unanswered: the report waits for the citizen since then. */
  waitingForCitizen: { questionId: string; since: string } | null;
  entries: ConversationEntry[];
}

interface ReporterRow {
  channel: Channel;
  sealed: string;
  wrapped: string | null;
  state: LifecycleState;
  tracking_code: string;
}

/**
 * Officers' questions and messages to the citizen of a report (ADR 0074). Each is written with
 * its notification in one transaction, and the outbox relay puts it on `aduan.notification.v1`
 * for the adapter of the reporter's channel, which finds the address in its own store: the
 * status service never calls a channel and never sees the address. The reporter is opened here
 * only to learn whether they may be written to at all.
 */
export class OfficerMessages {
  constructor(
    private readonly db: DataSource,
    private readonly vault: IdentityVault,
    private readonly clock: Clock,
  ) {}

  async send(
    who: OfficerPrincipal,
    reportId: string,
    input: OfficerMessageInput,
  ): Promise<{ id: string; created: boolean }> {
    const id = input.actionId ? uuidFrom(`officer-message:${reportId}:${input.actionId}`) : randomUUID();
    return this.db.transaction(async (tx) => {
      // One writer per report at a time, as its transitions: the state read here stays true.
      const [report] = (await tx.query(
        `SELECT r.state, r.tracking_code, rr.channel, rr.sealed, k.wrapped
           FROM report r LEFT JOIN report_reporter rr ON rr.report_id = r.id
           LEFT JOIN reporter_key k ON k.report_id = r.id
          WHERE r.id = $1 FOR UPDATE OF r`,
        [reportId],
      )) as Array<Partial<ReporterRow> & Pick<ReporterRow, 'state' | 'tracking_code'>>;
      if (!report) throw new ApiError(404, 'NOT_FOUND', `no report ${reportId}`);
      const [already] = (await tx.query(`SELECT id FROM report_message WHERE id = $1`, [id])) as unknown[];
      if (already) return { id, created: false };
      if (!OPEN_STATES.includes(report.state))
        throw new ApiError(
          409,
          'REPORT_CLOSED',
          `the report is ${report.state}: its citizen is no longer written to from here`,
          { state: report.state },
        );
      const channel = this.refusalOrChannel(reportId, report);
      const at = this.clock();
      await tx.query(
        `INSERT INTO report_message (id, report_id, kind, text, author_id, channel, at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [id, reportId, input.kind, input.text, who.id, channel, at],
      );
      await enqueue(tx, 'aduan.notification.v1', {
        notificationId: id,
        reportId,
        trackingCode: report.tracking_code,
        channel,
        locale: 'id',
        state: report.state,
        message: renderOfficerMessage(input.kind, report.tracking_code, input.text),
        ...(input.kind === 'question' ? { expectsAnswer: true } : {}),
      });
      // The text is the officer's and may name people: the audit keeps what was done, not what was said.
      await writeAudit(tx, who, {
        action: input.kind === 'question' ? 'ask-citizen' : 'message-citizen',
        outcome: 'granted',
        reportId,
        detail: { messageId: id, channel, length: input.text.length },
      });
      return { id, created: true };
    });
  }

  /** The channel to write on, or the refusal that names why nobody can be written to. */
  private refusalOrChannel(reportId: string, r: Partial<ReporterRow>): Channel {
    if (!r.channel || !r.sealed)
      throw new ApiError(409, 'NO_REPORTER', 'the report has no reporter to write to (it came without one)');
    let identity;
    try {
      identity = this.vault.open(reportId, r.sealed, r.wrapped);
    } catch (err) {
      if (err instanceof ErasedReporter)
        throw new ApiError(409, 'REPORTER_ERASED', 'the reporter was erased: nobody is left to write to');
      throw err;
    }
    if (identity.reporter.anonymous)
      throw new ApiError(
        409,
        'REPORTER_ANONYMOUS',
        'the reporter is anonymous: officers do not write to them beyond the state notifications (ADR 0074)',
      );
    if (CHANNELS_WITHOUT_MESSAGES.includes(r.channel) || !isAnswered(identity))
      throw new ApiError(
        409,
        'CHANNEL_CANNOT_CARRY',
        `the ${r.channel} channel cannot carry a message to this reporter`,
        { channel: r.channel },
      );
    return r.channel;
  }
}

/** The conversation of a report as officers see it; the detail and its own endpoint answer it. */
export async function conversationOf(
  db: Pick<DataSource, 'query'>,
  reportId: string,
): Promise<ConversationView> {
  const rows = (await db.query(
    `SELECT m.id, m.kind, m.at, m.text, m.author_id, o.display_name, m.answered_at,
            d.status AS delivery_status, d.reason AS delivery_reason, d.at AS delivery_at,
            f.id AS answer_id, f.source_received_at AS answer_at, f.text AS answer_text, r.state AS report_state
       FROM report_message m
       JOIN report r ON r.id = m.report_id
       LEFT JOIN officer o ON o.id = m.author_id
       LEFT JOIN report_delivery d ON d.delivery_id = m.id::text
       LEFT JOIN report_follow_up f ON f.id = m.answer_follow_up_id
      WHERE m.report_id = $1 ORDER BY m.at, m.id`,
    [reportId],
  )) as Array<{
    id: string;
    kind: OfficerMessageKind;
    at: Date;
    text: string;
    author_id: string;
    display_name: string | null;
    answered_at: Date | null;
    delivery_status: string | null;
    delivery_reason: string | null;
    delivery_at: Date | null;
    answer_id: string | null;
    answer_at: Date | null;
    answer_text: string | null;
    report_state: LifecycleState;
  }>;
  // A closed report waits for nobody: an unanswered question stays unanswered in the history.
  const open = rows.find(
    (r) => r.kind === 'question' && !r.answered_at && OPEN_STATES.includes(r.report_state),
  );
  return {
    waitingForCitizen: open ? { questionId: open.id, since: open.at.toISOString() } : null,
    entries: rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      at: r.at.toISOString(),
      author: { id: r.author_id, displayName: r.display_name },
      text: r.text,
      delivery: r.delivery_status
        ? { status: r.delivery_status, reason: r.delivery_reason, at: r.delivery_at!.toISOString() }
        : null,
      // The citizen's words as every follow-up is shown: contact details they wrote are masked.
      answer:
        r.answer_id && r.answer_at
          ? { followUpId: r.answer_id, at: r.answer_at.toISOString(), text: redactText(r.answer_text ?? '') }
          : null,
    })),
  };
}

/**
 * The citizen wrote again: their message answers every open question of the report. In the
 * transaction that records the follow-up, so a redelivery finds both done or neither.
 */
export async function answerOpenQuestions(
  tx: Pick<EntityManager, 'query'>,
  e: ComplaintFollowUp,
): Promise<number> {
  if ((e.kind ?? 'message') !== 'message') return 0;
  const rows = (await tx.query(
    `UPDATE report_message SET answer_follow_up_id = $2, answered_at = $3
      WHERE report_id = $1 AND kind = 'question' AND answered_at IS NULL RETURNING id`,
    [e.reportId, e.followUpId, e.receivedAt],
  )) as [unknown[], number];
  return rows[1];
}
