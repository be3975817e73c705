import { decide } from '../decide';
import { InMemoryIncidentIndex } from '../duplicates/incident-index';
import { createRoutingContext, type RoutingContextOptions } from '../knowledge';
import type { RoutingDecision } from '../types';
import { type Sample, chronological, toRoutingInput } from './samples';

/** One line of `--out`: the fields the labels use. */
export interface Prediction {
  readonly id: string;
  /** ROUTED, TRIAGE, REJECTED or DUPLICATE (then `duplicate_of` names the earlier case). */
  readonly outcome: string;
  readonly kelurahan_kode: string | null;
  readonly category: string | null;
  readonly opd: string | null;
  readonly duplicate_of: string | null;
}

export interface Accuracy {
  readonly correct: number;
  readonly total: number;
  /** 0…1; 1 when total is 0. */
  readonly rate: number;
}

export type MissField = 'outcome' | 'kelurahan' | 'category' | 'opd';

export interface Miss {
  readonly id: string;
  readonly field: MissField;
  readonly expected: string | null;
  readonly got: string | null;
  readonly reasons: readonly string[];
}

export interface EvaluationReport {
  readonly cases: number;
  readonly labelled: number;
  readonly accuracy: {
    readonly outcome: Accuracy;
    readonly kelurahanLocated: Accuracy;
    readonly kelurahanOverall: Accuracy;
    /** Cases without a GPS point: the kelurahan had to come from the text. */
    readonly kelurahanText: Accuracy;
    readonly category: Accuracy;
    readonly opd: Accuracy;
  };
  /**
   * How the text-only kelurahan misses split: a wrong kelurahan, none where the text gives
   * one, or one where the labels find the text gives none (a landmark on an edge, a long street).
   */
  readonly kelurahanTextMisses: {
    readonly wrong: number;
    readonly unplaced: number;
    readonly overplaced: number;
  };
  readonly outcomes: Readonly<Record<string, number>>;
  /** Labelled as a complaint (not REJECTED) but rejected: must stay 0. */
  readonly falseRejections: readonly string[];
  /** Labelled REJECTED but let through. */
  readonly missedRejections: readonly string[];
  readonly misses: readonly Miss[];
  readonly predictions: readonly Prediction[];
  readonly decisions: readonly RoutingDecision[];
  readonly microsPerDecision: number;
}

/** The prediction's outcome as labels write it: `DUPLICATE_OF:<id>` for a duplicate. */
export function outcomeLabel(p: Prediction): string {
  return p.outcome === 'DUPLICATE' ? `DUPLICATE_OF:${p.duplicate_of ?? ''}` : p.outcome;
}

export function toPrediction(d: RoutingDecision): Prediction {
  return {
    id: d.id,
    outcome: d.outcome,
    kelurahan_kode: d.kelurahan?.kode ?? null,
    category: d.category ?? null,
    opd: d.opd ?? null,
    duplicate_of: d.duplicateOf ?? null,
  };
}

class Counter {
  correct = 0;
  total = 0;
  add(ok: boolean): void {
    this.total++;
    if (ok) this.correct++;
  }
  result(): Accuracy {
    return {
      correct: this.correct,
      total: this.total,
      rate: this.total === 0 ? 1 : this.correct / this.total,
    };
  }
}

/**
 * Replays the samples in received order through `decide()` from an empty incident index,
 * as the router would have seen them, and scores the labelled ones.
 */
export async function evaluate(
  samples: readonly Sample[],
  options: RoutingContextOptions = {},
): Promise<EvaluationReport> {
  const ctx = createRoutingContext({
    ...options,
    incidents: options.incidents ?? new InMemoryIncidentIndex(),
  });
  const ordered = chronological(samples);
  const decisions: RoutingDecision[] = [];
  const started = process.hrtime.bigint();
  for (const sample of ordered) decisions.push(await decide(toRoutingInput(sample), ctx));
  const elapsedMicros = Number(process.hrtime.bigint() - started) / 1000;

  const counters = {
    outcome: new Counter(),
    kelurahanLocated: new Counter(),
    kelurahanOverall: new Counter(),
    kelurahanText: new Counter(),
    category: new Counter(),
    opd: new Counter(),
  };
  const outcomes: Record<string, number> = {};
  const misses: Miss[] = [];
  const falseRejections: string[] = [];
  const missedRejections: string[] = [];
  const kelurahanTextMisses = { wrong: 0, unplaced: 0, overplaced: 0 };
  let labelled = 0;
  ordered.forEach((sample, i) => {
    const decision = decisions[i];
    if (!decision) return;
    outcomes[decision.outcome] = (outcomes[decision.outcome] ?? 0) + 1;
    const expected = sample.expected;
    if (!expected) return;
    labelled++;
    const got = toPrediction(decision);
    const check = (field: MissField, counter: Counter, want: string | null, have: string | null): void => {
      const ok = want === have;
      counter.add(ok);
      if (!ok) misses.push({ id: sample.id, field, expected: want, got: have, reasons: decision.reasons });
    };
    check('outcome', counters.outcome, expected.outcome, outcomeLabel(got));
    if (sample.location) counters.kelurahanLocated.add(expected.kelurahan_kode === got.kelurahan_kode);
    else {
      counters.kelurahanText.add(expected.kelurahan_kode === got.kelurahan_kode);
      if (expected.kelurahan_kode !== got.kelurahan_kode) {
        if (got.kelurahan_kode === null) kelurahanTextMisses.unplaced++;
        else if (expected.kelurahan_kode === null) kelurahanTextMisses.overplaced++;
        else kelurahanTextMisses.wrong++;
      }
    }
    if (got.outcome === 'REJECTED' && expected.outcome !== 'REJECTED') falseRejections.push(sample.id);
    if (got.outcome !== 'REJECTED' && expected.outcome === 'REJECTED') missedRejections.push(sample.id);
    check('kelurahan', counters.kelurahanOverall, expected.kelurahan_kode, got.kelurahan_kode);
    check('category', counters.category, expected.category, got.category);
    check('opd', counters.opd, expected.opd, got.opd);
  });

  return {
    cases: samples.length,
    labelled,
    accuracy: {
      outcome: counters.outcome.result(),
      kelurahanLocated: counters.kelurahanLocated.result(),
      kelurahanOverall: counters.kelurahanOverall.result(),
      kelurahanText: counters.kelurahanText.result(),
      category: counters.category.result(),
      opd: counters.opd.result(),
    },
    kelurahanTextMisses,
    outcomes,
    falseRejections,
    missedRejections,
    misses,
    predictions: decisions.map(toPrediction),
    decisions,
    microsPerDecision: ordered.length === 0 ? 0 : elapsedMicros / ordered.length,
  };
}

function pct(a: Accuracy): string {
  return `${(a.rate * 100).toFixed(1)}% (${a.correct}/${a.total})`;
}

export function formatReport(
  report: EvaluationReport,
  options: { readonly showMisses?: boolean } = {},
): string {
  const lines: string[] = [];
  lines.push(`cases: ${report.cases}, labelled: ${report.labelled}`);
  lines.push(
    `outcomes: ${Object.entries(report.outcomes)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
  lines.push(`decide(): ${report.microsPerDecision.toFixed(0)} µs per report (including index warm-up)`);
  if (report.labelled > 0) {
    const a = report.accuracy;
    lines.push('accuracy:');
    lines.push(`  outcome              ${pct(a.outcome)}`);
    lines.push(`  kelurahan (located)  ${pct(a.kelurahanLocated)}`);
    lines.push(`  kelurahan (text)     ${pct(a.kelurahanText)}`);
    const k = report.kelurahanTextMisses;
    if (k.wrong + k.unplaced + k.overplaced > 0)
      lines.push(
        `    of its misses: ${k.wrong} another kelurahan, ${k.unplaced} none found, ${k.overplaced} placed where the labels place none`,
      );
    lines.push(`  kelurahan (overall)  ${pct(a.kelurahanOverall)}`);
    lines.push(`  category             ${pct(a.category)}`);
    lines.push(`  opd                  ${pct(a.opd)}`);
    lines.push(
      `  complaints rejected  ${report.falseRejections.length}` +
        (report.falseRejections.length > 0 ? ` (${report.falseRejections.join(', ')})` : ''),
    );
    lines.push(`  rejections missed   ${report.missedRejections.length}`);
    if (options.showMisses !== false && report.misses.length > 0) {
      lines.push(`misses (${report.misses.length}):`);
      for (const m of report.misses) {
        lines.push(`  ${m.id}  ${m.field}: expected ${m.expected ?? 'null'}, got ${m.got ?? 'null'}`);
        for (const r of m.reasons.slice(0, 4)) lines.push(`      - ${r}`);
      }
    }
  }
  return lines.join('\n');
}
