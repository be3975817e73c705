import type { ComplaintReceived, ComplaintRouted } from '@aduan/contracts';
import {
  evaluateRules,
  type RoutingOutcome,
  type RoutingRules,
  type Preview,
  type PreviewItem,
  type RoutingKnowledge,
  type RuleFacts,
} from '@aduan/routing';
import type { DataSource } from 'typeorm';
import { unitCode } from '../routing/to-routed-event';

/** How many decisions the preview can replay, at most, and for how long they are kept (ADR 0075). */
export const RECENT_INPUTS_KEPT = 2000;
export const RECENT_INPUTS_DAYS = 30;
/**
 * Rows written between prunes. A prune reads every row it keeps, so pruning after each batch
 * cost more than the batch's own insert on a flood day; the table holds at most this many more.
 */
const PRUNE_EVERY_ROWS = 500;
export const PREVIEW_MAX = 500;

/**
 * The reasons `decide` sends a complaint to TRIAGE for, besides "no rule matched": a complaint
 * held for one of them stays in TRIAGE whatever rule a draft adds (libs/routing decide.ts).
 */
const HELD_FOR = new Set([
  'text_empty',
  'no_identifiable_problem',
  'out_of_authority',
  'no_usable_location',
  'outside_jurisdiction',
  'low_place_confidence',
  'low_category_confidence',
]);

interface Row {
  tracking_code: string;
  channel: string;
  received_at: Date;
  category: string | null;
  kelurahan_kode: string | null;
  kelurahan_nama: string | null;
  kecamatan_kode: string | null;
  kota_kode: string | null;
  outcome: RoutingOutcome;
  held: boolean;
  unit_code: string | null;
  unit_name: string | null;
  rule_id: string | null;
  rules_version: number | null;
}

/**
 * The last decisions, as facts a rule set can be replayed on. Written by the consumer once per
 * batch, pruned now and then to the newest `RECENT_INPUTS_KEPT` of the last `RECENT_INPUTS_DAYS` days.
 */
export class RecentInputs {
  constructor(
    private readonly db: DataSource,
    private readonly names: RoutingKnowledge['unitNames'],
  ) {}

  /** Rows written since the last prune; the first batch after a start prunes. */
  private sincePrune = PRUNE_EVERY_ROWS;

  async record(decided: ReadonlyArray<{ input: ComplaintReceived; event: ComplaintRouted }>): Promise<void> {
    if (!decided.length) return;
    const rows = decided.map(({ input, event: e }) => {
      return {
        report_id: e.reportId,
        tracking_code: e.trackingCode,
        channel: input.channel,
        received_at: input.receivedAt,
        category: e.category,
        kelurahan_kode: e.area?.kelurahan.kode ?? null,
        kelurahan_nama: e.area?.kelurahan.nama ?? null,
        kecamatan_kode: e.area?.kecamatan.kode ?? null,
        kota_kode: e.area?.kota.kode ?? null,
        outcome: e.outcome,
        held: e.outcome === 'TRIAGE' && e.reasons.some((r) => HELD_FOR.has(r.code)),
        unit_code: e.unit?.code ?? null,
        unit_name: e.unit?.name ?? null,
        rule_id: e.rule?.id ?? null,
        rules_version: e.rule?.version ?? null,
      };
    });
    await this.db.query(
      `INSERT INTO routing_recent_input
         (report_id, tracking_code, channel, received_at, category, kelurahan_kode, kelurahan_nama,
          kecamatan_kode, kota_kode, outcome, held, unit_code, unit_name, rule_id, rules_version)
       SELECT report_id, tracking_code, channel, received_at, category, kelurahan_kode, kelurahan_nama,
              kecamatan_kode, kota_kode, outcome, held, unit_code, unit_name, rule_id, rules_version
         FROM jsonb_to_recordset($1::jsonb) AS r(
           report_id uuid, tracking_code text, channel text, received_at timestamptz, category text,
           kelurahan_kode text, kelurahan_nama text, kecamatan_kode text, kota_kode text, outcome text,
           held boolean, unit_code text, unit_name text, rule_id text, rules_version integer)
       ON CONFLICT (report_id) DO UPDATE SET
         category = excluded.category, kelurahan_kode = excluded.kelurahan_kode,
         kelurahan_nama = excluded.kelurahan_nama, kecamatan_kode = excluded.kecamatan_kode,
         kota_kode = excluded.kota_kode, outcome = excluded.outcome, held = excluded.held,
         unit_code = excluded.unit_code, unit_name = excluded.unit_name, rule_id = excluded.rule_id,
         rules_version = excluded.rules_version, decided_at = now()`,
      [JSON.stringify(rows)],
    );
    this.sincePrune += rows.length;
    if (this.sincePrune < PRUNE_EVERY_ROWS) return;
    this.sincePrune = 0;
    await this.db.query(
      `DELETE FROM routing_recent_input
        WHERE received_at < now() - make_interval(days => $1)
           OR report_id IN (SELECT report_id FROM routing_recent_input ORDER BY received_at DESC OFFSET $2)`,
      [RECENT_INPUTS_DAYS, RECENT_INPUTS_KEPT],
    );
  }

  /**
   * The last `limit` received complaints as they were routed, and as `draft` would route them:
   * category and place do not depend on rules, so only the unit, and whether a rule matched at
   * all, can differ. A duplicate stays its incident's, a rejected complaint stays rejected.
   */
  async preview(draft: RoutingRules, basedOn: number, limit: number): Promise<Preview> {
    const rows = (await this.db.query(
      `SELECT tracking_code, channel, received_at, category, kelurahan_kode, kelurahan_nama, kecamatan_kode,
              kota_kode, outcome, held, unit_code, unit_name, rule_id, rules_version
         FROM routing_recent_input ORDER BY received_at DESC, report_id LIMIT $1`,
      [limit],
    )) as Row[];
    const items = rows.map((r) => this.replay(draft, r));
    return { basedOn, considered: items.length, changed: items.filter((i) => i.changed).length, items };
  }

  private replay(draft: RoutingRules, r: Row): PreviewItem {
    const before = {
      outcome: r.outcome,
      unit: r.unit_code ? { code: r.unit_code, name: r.unit_name ?? r.unit_code } : null,
      rule: r.rule_id,
      version: r.rules_version,
    };
    let after: PreviewItem['after'] = { outcome: r.outcome, unit: before.unit, rule: before.rule };
    if (r.category && r.outcome !== 'REJECTED') {
      const facts: RuleFacts = {
        category: r.category,
        channel: r.channel,
        ...(r.kelurahan_kode ? { kelurahanKode: r.kelurahan_kode } : {}),
        ...(r.kecamatan_kode ? { kecamatanKode: r.kecamatan_kode } : {}),
        ...(r.kota_kode ? { kotaKode: r.kota_kode } : {}),
      };
      const evaluation = evaluateRules(draft, facts, this.names);
      const unit = evaluation ? { code: unitCode(evaluation.unit), name: evaluation.unit.label } : null;
      const outcome: RoutingOutcome =
        r.outcome === 'DUPLICATE' ? 'DUPLICATE' : evaluation && !r.held ? 'ROUTED' : 'TRIAGE';
      after = { outcome, unit, rule: evaluation?.rule.id ?? null };
    }
    return {
      trackingCode: r.tracking_code,
      receivedAt: r.received_at.toISOString(),
      channel: r.channel,
      category: r.category,
      kelurahan: r.kelurahan_kode
        ? { kode: r.kelurahan_kode, nama: r.kelurahan_nama ?? r.kelurahan_kode }
        : null,
      before,
      after,
      changed:
        after.outcome !== before.outcome ||
        after.unit?.code !== before.unit?.code ||
        after.rule !== before.rule,
    };
  }
}
