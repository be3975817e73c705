import {
  channelLabels,
  STATE_LABELS,
  type Area,
  type ChannelLabel,
  type LifecycleState,
  type Unit,
} from '@aduan/contracts';
import { loadOpds } from '@aduan/reference-data';
import type { DataSource } from 'typeorm';

export interface PublicTimelineEntry {
  state: LifecycleState;
  label: string;
  at: string;
  note: string | null;
  unit: Unit | null;
  evidence: Array<{ url: string; contentType: string }>;
}

/** The state of the incident a merged report joined, without anything of the report it joined. */
export interface PublicIncident {
  state: LifecycleState;
  label: string;
  updatedAt: string;
  timeline: Array<{ state: LifecycleState; label: string; at: string; unit: Unit | null }>;
}

/** What anyone holding a tracking code may see. Built field by field: nothing about the reporter. */
export interface PublicReport {
  trackingCode: string;
  state: LifecycleState;
  label: string;
  channel: string | null;
  channelLabel: ChannelLabel | null;
  category: string | null;
  unit: Unit | null;
  /** The OPD accountable for the category, e.g. Dinas Bina Marga when its Suku Dinas acts. */
  opd: Unit | null;
  area: Area | null;
  routing: string | null;
  /**
   * Always null: a merged report never names the report it was merged into, whose code would
   * open a stranger's report (ADR 0055). Kept so that older pages still read the answer.
   */
  mergedInto: null;
  /**
   * For a report merged into another: where the incident stands, told through this report's own
   * code. States, times and units only: never the other report's code, text or notes.
   */
  incident: PublicIncident | null;
  /** Citizens following this incident: its own reporter and those of reports merged into it. */
  followers: number;
  description: string | null;
  receivedAt: string | null;
  updatedAt: string;
  timeline: PublicTimelineEntry[];
  /** True for a report its reporter filed as private: only its state is shown. */
  stateOnly: boolean;
}

interface Row {
  id: string;
  tracking_code: string;
  state: LifecycleState;
  channel: string | null;
  category: string | null;
  unit: Unit | null;
  area: Area | null;
  routing: { outcome?: string; opd?: string | null } | null;
  master_id: string | null;
  followers: number;
  public_text: string | null;
  visibility: string;
  received_at: Date | null;
  updated_at: Date;
}

let opdNames: Map<string, string> | undefined;

function opdOf(code: string | null | undefined): Unit | null {
  if (!code) return null;
  opdNames ??= new Map(loadOpds().map((o) => [o.code, o.name]));
  return { code, name: opdNames.get(code) ?? code };
}

/**
 * A private report (the reporter chose not to make it public) shows where it stands and
 * nothing else: not its unit, its place, its notes or who else follows it.
 */
function stateOnlyView(row: Row): PublicReport {
  return {
    trackingCode: row.tracking_code,
    state: row.state,
    label: STATE_LABELS[row.state],
    channel: null,
    channelLabel: null,
    category: null,
    unit: null,
    opd: null,
    area: null,
    routing: null,
    mergedInto: null,
    incident: null,
    followers: 0,
    description: null,
    receivedAt: null,
    updatedAt: row.updated_at.toISOString(),
    timeline: [],
    stateOnly: true,
  };
}

/**
 * What the timeline says where the report was merged. Notes written before ADR 0055 named the
 * other report's code; the public page never repeats them.
 */
export const MERGED_NOTE =
  'Laporan digabung dengan laporan lain tentang masalah yang sama; perkembangannya ditampilkan di halaman ini.';

/**
 * The incident a merged report joined: the master's state and the steps since, without its code,
 * text, notes or evidence. A confidential master shows nothing.
 */
async function incidentOf(db: DataSource, masterId: string): Promise<PublicIncident | null> {
  const [master] = (await db.query(
    `SELECT state, updated_at FROM report WHERE id = $1 AND NOT confidential`,
    [masterId],
  )) as Array<{ state: LifecycleState; updated_at: Date }>;
  if (!master) return null;
  const steps = (await db.query(
    `SELECT to_state, at, unit FROM report_transition
      WHERE report_id = $1 ORDER BY LEAST(ordinal, 2), at, ordinal, id`,
    [masterId],
  )) as Array<{ to_state: LifecycleState; at: Date; unit: Unit | null }>;
  return {
    state: master.state,
    label: STATE_LABELS[master.state],
    updatedAt: master.updated_at.toISOString(),
    timeline: steps.map((t) => ({
      state: t.to_state,
      label: STATE_LABELS[t.to_state],
      at: t.at.toISOString(),
      unit: t.unit,
    })),
  };
}

/** Null for an unknown code and for a confidential report alike: the answer confirms nothing. */
export async function findPublicReport(db: DataSource, trackingCode: string): Promise<PublicReport | null> {
  const [row] = (await db.query(
    `SELECT r.id, r.tracking_code, r.state, r.channel, r.category, r.unit, r.area, r.routing, m.id AS master_id,
            (SELECT count(*) FROM report f WHERE f.id = r.id OR f.merged_into = r.id)::int AS followers, r.public_text, r.visibility, r.received_at, r.updated_at
       FROM report r LEFT JOIN report m ON m.id = r.merged_into
      WHERE r.tracking_code = $1 AND NOT r.confidential`,
    [trackingCode],
  )) as Row[];
  if (!row) return null;
  if (row.visibility !== 'public') return stateOnlyView(row);
  const transitions = (await db.query(
    `SELECT to_state, at, public_note, unit, evidence FROM report_transition
      WHERE report_id = $1 ORDER BY LEAST(ordinal, 2), at, ordinal, id`,
    [row.id],
  )) as Array<{
    to_state: LifecycleState;
    at: Date;
    public_note: string | null;
    unit: Unit | null;
    evidence: Array<{ url: string; contentType: string }>;
  }>;

  return {
    trackingCode: row.tracking_code,
    state: row.state,
    label: STATE_LABELS[row.state],
    channel: row.channel,
    channelLabel: row.channel ? channelLabels(row.channel) : null,
    category: row.category,
    unit: row.unit,
    area: row.area,
    opd: opdOf(row.routing?.opd),
    routing: row.routing?.outcome ?? null,
    mergedInto: null,
    incident: row.master_id ? await incidentOf(db, row.master_id) : null,
    followers: row.followers,
    // Never the text itself: citizens sign it, quote mail into it and write their numbers in it.
    description: row.public_text,
    receivedAt: row.received_at ? row.received_at.toISOString() : null,
    updatedAt: row.updated_at.toISOString(),
    stateOnly: false,
    timeline: transitions.map((t) => ({
      state: t.to_state,
      label: STATE_LABELS[t.to_state],
      at: t.at.toISOString(),
      note: t.to_state === 'MERGED' ? MERGED_NOTE : t.public_note,
      unit: t.unit,
      evidence: t.evidence.map((e) => ({ url: e.url, contentType: e.contentType })),
    })),
  };
}
