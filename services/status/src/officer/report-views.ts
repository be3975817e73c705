import {
  channelLabels,
  STATE_LABELS,
  type Actor,
  type Area,
  type LifecycleState,
  type Unit,
} from '@aduan/contracts';
import { redactText } from '@aduan/platform';
import type { DataSource } from 'typeorm';
import type { OfficerPrincipal } from '../auth/tokens';
import type { EvidenceService, EvidenceView } from '../evidence/evidence-service';
import { conversationOf, mayMessageCitizen } from '../conversation/officer-messages';
import { recategoriseAllowed } from '../lifecycle/recategorise';
import { actionsFrom, OPEN_STATES, roleMay } from '../lifecycle/state-machine';
import { WHILE_TASKS_OPEN } from '../lifecycle/task-rules';
import { partsOf } from '../lifecycle/tasks';
import { escalationGrant, mayAccess } from './access';
import { followUpsOf } from '../reports/citizen-follow-ups';
import { deliveriesOf } from '../reports/deliveries';

export interface QueueRow {
  id: string;
  tracking_code: string;
  state: LifecycleState;
  channel: string | null;
  category: string | null;
  unit: Unit | null;
  area: Area | null;
  text: string | null;
  pseudonym: string | null;
  assignee_id: string | null;
  assignee_name: string | null;
  received_at: Date | null;
  updated_at: Date;
  version: number;
  due_stage: string | null;
  due_at: Date | null;
  escalation_level: number | null;
  flags: number;
}

export interface QueueFilter {
  unit?: string;
  states: LifecycleState[];
  assignee?: string;
  limit: number;
  offset: number;
}

function excerpt(text: string | null): string | null {
  if (!text) return null;
  const t = redactText(text);
  return t.length > 200 ? `${t.slice(0, 199)}…` : t;
}

/** What a queue row and a search hit show: the report, its reporter's pseudonym, its next clock. */
export function listColumns(text = 'r.text'): string {
  return `r.id, r.tracking_code, r.state, r.channel, r.category, r.unit, r.area, ${text} AS text, rr.pseudonym,
            o.id AS assignee_id, o.display_name AS assignee_name, r.received_at, r.updated_at, r.version,
            c.stage AS due_stage, c.due_at,
            (SELECT max(level) FROM sla_escalation e WHERE e.report_id = r.id AND e.stage = c.stage)::int AS escalation_level,
            (SELECT count(*) FROM evidence ev WHERE ev.report_id = r.id AND jsonb_array_length(ev.flags) > 0)::int AS flags`;
}

export const LIST_JOINS = `LEFT JOIN report_reporter rr ON rr.report_id = r.id
       LEFT JOIN officer o ON o.id = r.assignee
       LEFT JOIN LATERAL (SELECT stage, due_at FROM sla_clock s WHERE s.report_id = r.id AND s.met_at IS NULL ORDER BY due_at LIMIT 1) c ON true`;

/**
 * A unit's list holds its own reports, those escalated to it (a kecamatan, a kota) and those it
 * works an open part of (ADR 0073).
 */
export function unitScope(param: number): string {
  return `(r.unit->>'code' = $${param} OR EXISTS (SELECT 1 FROM sla_escalation x WHERE x.report_id = r.id AND x.target_unit = $${param})
           OR EXISTS (SELECT 1 FROM report_task pt WHERE pt.report_id = r.id AND pt.unit_code = $${param} AND pt.state IN ('OPEN', 'IN_PROGRESS')))`;
}

export function listItem(r: QueueRow, now: Date) {
  return {
    id: r.id,
    trackingCode: r.tracking_code,
    state: r.state,
    label: STATE_LABELS[r.state],
    channel: r.channel,
    channelLabel: r.channel ? channelLabels(r.channel) : null,
    category: r.category,
    unit: r.unit,
    area: r.area,
    excerpt: excerpt(r.text),
    reporter: { pseudonym: r.pseudonym },
    assignee: r.assignee_id ? { id: r.assignee_id, displayName: r.assignee_name } : null,
    receivedAt: r.received_at?.toISOString() ?? null,
    updatedAt: r.updated_at.toISOString(),
    version: r.version,
    due: r.due_at
      ? {
          stage: r.due_stage,
          dueAt: r.due_at.toISOString(),
          overdue: r.due_at <= now,
          escalationLevel: r.escalation_level ?? 0,
        }
      : null,
    evidenceFlags: r.flags,
  };
}

/** Overdue first (longest overdue first), then the oldest; the clock is the service's own. */
export async function queue(db: DataSource, f: QueueFilter, now: Date) {
  const params: unknown[] = [f.states, now, f.limit, f.offset];
  const where = ['r.state = ANY($1)'];
  if (f.unit) where.push(unitScope(params.push(f.unit)));
  if (f.assignee) where.push(`r.assignee = $${params.push(f.assignee)}`);
  const rows = (await db.query(
    `SELECT ${listColumns()}, count(*) OVER ()::int AS total
       FROM report r
       ${LIST_JOINS}
      WHERE ${where.join(' AND ')}
      ORDER BY (c.due_at IS NOT NULL AND c.due_at <= $2) DESC, c.due_at ASC NULLS LAST, coalesce(r.received_at, r.created_at) ASC, r.id
      LIMIT $3 OFFSET $4`,
    params,
  )) as Array<QueueRow & { total: number }>;
  return { items: rows.map((r) => listItem(r, now)), total: rows[0]?.total ?? 0 };
}

export const DEFAULT_QUEUE_STATES = OPEN_STATES;

interface DetailRow {
  id: string;
  tracking_code: string;
  state: LifecycleState;
  version: number;
  channel: string | null;
  category: string | null;
  unit: Unit | null;
  area: Area | null;
  text: string | null;
  subject: string | null;
  lat: number | null;
  lon: number | null;
  attachments: Array<{ url: string; contentType: string }>;
  received_at: Date | null;
  updated_at: Date;
  routing: { outcome?: string; reasons?: unknown[]; candidates?: unknown[] } | null;
  master_id: string | null;
  master_code: string | null;
  pseudonym: string | null;
  reporter_channel: string | null;
  assignee_id: string | null;
  assignee_name: string | null;
  followers: number;
}

export async function reportDetail(
  db: DataSource,
  evidence: EvidenceService,
  who: OfficerPrincipal,
  id: string,
  now: Date,
) {
  const [r] = (await db.query(
    `SELECT r.id, r.tracking_code, r.state, r.version, r.channel, r.category, r.unit, r.area, r.text, r.subject, r.lat, r.lon,
            r.attachments, r.received_at, r.updated_at, r.routing, m.id AS master_id, m.tracking_code AS master_code,
            rr.pseudonym, rr.channel AS reporter_channel, o.id AS assignee_id, o.display_name AS assignee_name,
            (SELECT count(*) FROM report f WHERE f.id = r.id OR f.merged_into = r.id)::int AS followers
       FROM report r
       LEFT JOIN report m ON m.id = r.merged_into
       LEFT JOIN report_reporter rr ON rr.report_id = r.id
       LEFT JOIN officer o ON o.id = r.assignee
      WHERE r.id = $1`,
    [id],
  )) as DetailRow[];
  if (!r) return null;
  const timeline = (await db.query(
    `SELECT t.from_state, t.to_state, t.at, t.actor, t.public_note, t.internal_note, t.unit, t.evidence, o.display_name
       FROM report_transition t LEFT JOIN officer o ON o.id::text = t.actor->>'id'
      WHERE t.report_id = $1 ORDER BY LEAST(t.ordinal, 2), t.at, t.ordinal, t.id`,
    [id],
  )) as Array<{
    from_state: LifecycleState | null;
    to_state: LifecycleState;
    at: Date;
    actor: Actor;
    public_note: string | null;
    internal_note: string | null;
    unit: Unit | null;
    evidence: Array<{ id?: string }>;
    display_name: string | null;
  }>;
  const notes = (await db.query(
    `SELECT n.id, n.at, n.text, o.id AS author_id, o.display_name FROM report_note n JOIN officer o ON o.id = n.author_id
      WHERE n.report_id = $1 ORDER BY n.at, n.id`,
    [id],
  )) as Array<{ id: string; at: Date; text: string; author_id: string; display_name: string }>;
  const sla = (await db.query(
    `SELECT c.stage, c.started_at, c.due_at, c.met_at,
            coalesce((SELECT json_agg(json_build_object('level', e.level, 'to', e.target_unit, 'at', e.at) ORDER BY e.level)
                        FROM sla_escalation e WHERE e.report_id = c.report_id AND e.stage = c.stage), '[]') AS escalations
       FROM sla_clock c WHERE c.report_id = $1 ORDER BY c.due_at`,
    [id],
  )) as Array<{ stage: string; started_at: Date; due_at: Date; met_at: Date | null; escalations: unknown[] }>;
  const followUps = await followUpsOf(db, id);
  const deliveries = await deliveriesOf(db, id);
  const photos: EvidenceView[] = await evidence.list(id);
  const tasks = await partsOf(db, who, id, now);
  const tasksOpen = tasks.some((t) => t.state === 'OPEN' || t.state === 'IN_PROGRESS');
  // An officer who reads the report only because its unit works a part of it works that part.
  const holds = mayAccess(who, r.unit?.code ?? null) || (await escalationGrant(db, who, id)) !== null;
  const transitionsAllowed = holds
    ? actionsFrom(r.state).filter((a) => roleMay(a, who.role) && (!tasksOpen || WHILE_TASKS_OPEN.includes(a)))
    : [];
  const mayUpload = who.role === 'admin' || who.role === 'unit_officer';

  return {
    id: r.id,
    trackingCode: r.tracking_code,
    state: r.state,
    label: STATE_LABELS[r.state],
    version: r.version,
    channel: r.channel,
    channelLabel: r.channel ? channelLabels(r.channel) : null,
    category: r.category,
    unit: r.unit,
    area: r.area,
    // Officers see the complaint, not whoever wrote it: contact details in the text are masked.
    text: r.text ? redactText(r.text) : null,
    subject: r.subject ? redactText(r.subject) : null,
    location: r.lat !== null && r.lon !== null ? { lat: r.lat, lon: r.lon } : null,
    attachments: r.attachments.map((a) => ({ url: a.url, contentType: a.contentType })),
    receivedAt: r.received_at?.toISOString() ?? null,
    updatedAt: r.updated_at.toISOString(),
    mergedInto: r.master_id ? { id: r.master_id, trackingCode: r.master_code } : null,
    followers: r.followers,
    reporter: { pseudonym: r.pseudonym, channel: r.reporter_channel },
    assignee: r.assignee_id ? { id: r.assignee_id, displayName: r.assignee_name } : null,
    routing: r.routing
      ? {
          outcome: r.routing.outcome ?? null,
          reasons: r.routing.reasons ?? [],
          candidates: r.routing.candidates ?? [],
        }
      : null,
    timeline: timeline.map((t, i) => ({
      sequence: i + 1,
      from: t.from_state,
      to: t.to_state,
      label: STATE_LABELS[t.to_state],
      at: t.at.toISOString(),
      actor: {
        kind: t.actor.kind,
        id: t.actor.id ?? null,
        unit: t.actor.unit ?? null,
        displayName: t.display_name,
      },
      publicNote: t.public_note,
      internalNote: t.internal_note,
      unit: t.unit,
      evidence: t.evidence.map((e) => e.id).filter(Boolean),
    })),
    notes: notes.map((n) => ({
      id: n.id,
      at: n.at.toISOString(),
      author: { id: n.author_id, displayName: n.display_name },
      text: n.text,
    })),
    // What the citizen wrote later: beside the timeline, never on the public one.
    followUps,
    // What became of each message to the citizen; a failed one needs an officer's call.
    deliveries,
    // Officers' questions and messages to the citizen, with their answers (ADR 0074).
    conversation: await conversationOf(db, id),
    evidence: photos,
    sla: sla.map((c) => ({
      stage: c.stage,
      startedAt: c.started_at.toISOString(),
      dueAt: c.due_at.toISOString(),
      metAt: c.met_at?.toISOString() ?? null,
      overdue: !c.met_at && c.due_at <= now,
      escalations: c.escalations,
    })),
    allowedActions: [
      ...transitionsAllowed
        .flatMap((a) => (a === 'accept' || a === 'refuse' ? ['validate'] : [a]))
        .filter((a, i, all) => all.indexOf(a) === i),
      // Parallel coordination also adds units to an open round, while coordinate itself waits.
      ...(holds && roleMay('coordinate', who.role) && actionsFrom(r.state).includes('coordinate')
        ? ['coordinate-parallel']
        : []),
      ...(holds && recategoriseAllowed(r.state, who.role) ? ['recategorise'] : []),
      'note',
      ...(holds && OPEN_STATES.includes(r.state) && who.role !== 'validator' ? ['claim'] : []),
      ...(mayUpload && OPEN_STATES.includes(r.state) ? ['evidence'] : []),
      ...(who.role === 'admin' || who.role === 'crm_officer' ? ['contact'] : []),
      ...(mayMessageCitizen(who.role, r.state) ? ['message-citizen'] : []),
    ],
    // The units working parts of the report in parallel (ADR 0073), every round, oldest first.
    tasks,
  };
}

export type ReportDetail = NonNullable<Awaited<ReturnType<typeof reportDetail>>>;
