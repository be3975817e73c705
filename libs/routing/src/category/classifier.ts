import type { Token } from '../text/normalize';
import { CONTEXT_GROUP, type Lexicon } from './lexicon';
import { INCIDENTAL_FACTOR, type TermHit, TermMatcher, contextModifiers, roleModifiers } from './matcher';
import { type NaiveBayesClassifier, nbFeatures } from './naive-bayes';

export interface CategoryScore {
  readonly name: string;
  /** Evidence from the text alone. */
  readonly textScore: number;
  /** Text evidence plus the app-category prior. */
  readonly score: number;
  readonly terms: readonly string[];
}

export interface CategoryResult {
  readonly category?: string;
  readonly confidence: number;
  /** Best first; at most `MAX_RANKED`. */
  readonly ranked: readonly CategoryScore[];
  /** The strongest text-only evidence for any category: how much of a complaint this is. */
  readonly textTop: number;
  readonly hint?: string;
  readonly hintOverridden: boolean;
  readonly secondProblem?: string;
  readonly reasons: readonly string[];
}

export interface ClassifierTuning {
  /** Added to the category the user picked in the app. */
  readonly hintBonus: number;
  /** Below this total the message names no identifiable problem. */
  readonly minScore: number;
  /** How much more (bonus included) another category must score to override the app category. */
  readonly hintOverrideMargin: number;
  /** Text evidence for another category that counts as a second problem. */
  readonly secondProblemScore: number;
  /**
   * Points added to a category the lexicon already has evidence for, times the trained
   * model's probability for it (0 turns the model off).
   */
  readonly modelWeight: number;
  /**
   * When the model's own best category, over all categories, reaches this probability and
   * the lexicon has no evidence for it, it joins the candidates (1 or more: never).
   */
  readonly modelProposeAt: number;
}

export const DEFAULT_CLASSIFIER_TUNING: ClassifierTuning = {
  hintBonus: 2,
  hintOverrideMargin: 0.5,
  minScore: 1.5,
  secondProblemScore: 2.5,
  modelWeight: 4,
  modelProposeAt: 1,
};

const MAX_RANKED = 5;
/** How far (tokens) a possessive part ("lampunya") looks back for the facility it belongs to. */
const OWNER_WINDOW = 6;
/** Extra weight for the first term of the text that is not incidental: the head noun. */
const HEAD_BOOST = 1.25;

/** Lexicon scoring with a strong prior for the app category, overridden only by clearly stronger text evidence. */
export class CategoryClassifier {
  private readonly matcher: TermMatcher;
  private readonly names: ReadonlyMap<string, string>;
  /** Single words that say something is wrong ("mati", "rusak"): "lampu mati" names a part's state. */
  private readonly stateWords: ReadonlySet<string>;

  constructor(
    private readonly lexicon: Lexicon,
    categoryNames: readonly string[],
    private readonly tuning: ClassifierTuning = DEFAULT_CLASSIFIER_TUNING,
    private readonly model?: NaiveBayesClassifier,
  ) {
    const known = new Set(categoryNames);
    const terms = [...lexicon.categories.entries()].filter(([name]) => known.has(name)).flatMap(([, t]) => t);
    this.matcher = new TermMatcher([...terms, ...lexicon.context]);
    this.names = new Map(categoryNames.map((n) => [n.toLowerCase().trim(), n]));
    this.stateWords = new Set(
      (lexicon.signals.get('problem') ?? [])
        .filter((t) => !t.near && t.words.length === 1)
        .map((t) => t.words[0]?.text ?? ''),
    );
  }

  /** The exact category name for a user-supplied label, if it is one. */
  canonicalName(label: string | undefined): string | undefined {
    return label === undefined ? undefined : this.names.get(label.toLowerCase().trim());
  }

  classify(tokens: readonly Token[], masked: ReadonlySet<number>, hintLabel?: string): CategoryResult {
    const reasons: string[] = [];
    const picked = this.canonicalName(hintLabel);
    if (hintLabel !== undefined && hintLabel.trim() !== '' && !picked)
      reasons.push(`hint_unknown: "${hintLabel}" is not a CRM category`);

    const modifiers = contextModifiers(tokens, this.lexicon.hypothetical, this.lexicon.consequence);
    const roles = roleModifiers(tokens, this.lexicon.incidental);
    const totals = new Map<string, { score: number; full: number; terms: string[] }>();
    const hits = this.matcher
      .match(tokens, masked, modifiers, roles)
      .filter((h) => h.term.group !== CONTEXT_GROUP);
    const owner = this.facilityOwner(tokens, hits);
    // "Lampu di JPO mati" filed under street lights: the user picked the broken part's category,
    // not the facility's. Such a pick gets no prior; the text decides.
    const partGroups = mereParts(owner?.partHits, this.stateWords);
    const pickedPart = picked !== undefined && partGroups.has(picked);
    if (pickedPart) reasons.push(`hint_names_part: ${picked} is a part of the facility named`);
    const hint = pickedPart ? undefined : picked;
    // The complaint's main object usually comes first: "hidran … ditutupi gerobak PKL".
    const head =
      owner?.facility ??
      hits.reduce<(typeof hits)[number] | undefined>(
        (first, h) =>
          !h.term.near && (roles[h.start] ?? 1) === 1 && (!first || h.start < first.start) ? h : first,
        undefined,
      );
    const placed = this.placedAfterObject(tokens, hits, roles, owner);
    for (const hit of hits) {
      const role = roles[hit.start] ?? 1;
      // "lampu di RPTRA": the facility is the object, the part only says what of it is broken.
      const partRole = owner?.partHits.has(hit) ? INCIDENTAL_FACTOR : placed.has(hit) ? INCIDENTAL_FACTOR : 1;
      const weight = (hit === owner?.facility ? hit.effectiveWeight / role : hit.effectiveWeight) * partRole;
      const boost = hit === head ? HEAD_BOOST : 1;
      const entry = totals.get(hit.term.group) ?? { score: 0, full: 0, terms: [] };
      entry.score += weight * boost;
      // Evidence without the incidental-word discount: how much of a complaint it is. A
      // facility's part is not evidence against the facility ("toilet umum di taman").
      entry.full += (hit.effectiveWeight / role) * partRole;
      entry.terms.push(hit.term.key);
      totals.set(hit.term.group, entry);
    }
    if (hint && !totals.has(hint)) totals.set(hint, { score: 0, full: 0, terms: [] });
    const proposed = this.modelProposal(tokens, masked, totals);
    if (this.model && this.tuning.modelWeight > 0 && totals.size > 1) {
      // The model re-ranks what the lexicon found.
      const posterior = this.model.posterior(nbFeatures(tokens, masked), totals.keys());
      for (const [name, t] of totals) {
        if (t.score <= 0 || name === proposed) continue;
        // The model read the part's words too ("lampu … mati"): it speaks for the facility's
        // part no more than the lexicon's own words for it do.
        const p = (posterior.get(name) ?? 0) * (partGroups.has(name) ? INCIDENTAL_FACTOR : 1);
        if (p >= 0.05) {
          t.score += this.tuning.modelWeight * p;
          // The model read the whole text, not one word: its agreement adds to how sure we are.
          t.full += this.tuning.modelWeight * p;
          t.terms.push(`model:${Math.round(p * 100) / 100}`);
        }
      }
    }

    const full = new Map([...totals.entries()].map(([name, t]) => [name, t.full]));
    const scored: CategoryScore[] = [...totals.entries()].map(([name, t]) => ({
      name,
      textScore: round(t.score),
      score: round(t.score + (name === hint ? this.tuning.hintBonus : 0)),
      terms: t.terms,
    }));
    scored.sort((a, b) => b.score - a.score || b.textScore - a.textScore || a.name.localeCompare(b.name));
    // The app category yields unless the text is clearly (not marginally) about something else.
    const hinted = scored.find((s) => s.name === hint);
    const leader = scored[0];
    if (
      hinted &&
      leader &&
      leader !== hinted &&
      leader.score < hinted.score + this.tuning.hintOverrideMargin
    ) {
      scored.splice(scored.indexOf(hinted), 1);
      scored.unshift(hinted);
    }
    const ranked = scored.slice(0, MAX_RANKED);
    // A category only the model proposed is no evidence that this is a complaint at all: the
    // screens weigh the words the lexicon knows.
    const textTop = scored.reduce(
      (m, s) => (s.name === proposed ? m : Math.max(m, full.get(s.name) ?? s.textScore)),
      0,
    );
    const best = ranked[0];

    if (!best || best.score < this.tuning.minScore) {
      return {
        confidence: 0,
        ranked,
        textTop,
        ...(picked ? { hint: picked } : {}),
        hintOverridden: false,
        reasons,
      };
    }
    const second = ranked[1];
    // Confidence from the undiscounted evidence: an incidental word changes the ranking,
    // not how sure the winner is.
    const bonus = best.name === hint ? this.tuning.hintBonus : 0;
    const bestFull = (full.get(best.name) ?? 0) + bonus;
    // When the second is the app category, the text overrode it: a wrong pick, so only its
    // words count against the winner.
    const secondFull = second ? Math.min(full.get(second.name) ?? 0, bestFull) : 0;
    const confidence = round(Math.min(0.97, bestFull / (bestFull + secondFull + 2)));
    const hintOverridden = picked !== undefined && best.name !== picked;
    if (hintOverridden)
      reasons.push(`hint_overridden: the user picked ${picked}; the text points to ${best.name}`);

    const other = scored.find(
      (s) =>
        s.name !== best.name &&
        s.textScore >= this.tuning.secondProblemScore &&
        s.textScore >= 0.5 * best.textScore,
    );
    if (other) reasons.push(`second_problem: ${other.name}`);

    return {
      category: best.name,
      confidence,
      ranked,
      textTop,
      ...(picked ? { hint: picked } : {}),
      hintOverridden,
      ...(other ? { secondProblem: other.name } : {}),
      reasons,
    };
  }

  /**
   * Hits that only say where an object named before them is: "pohon tumbang di dalam RPTRA",
   * "stiker judi ditempel di JPO". Not a facility that owns a part named before it ("lampu di
   * JPO"): that one is the object.
   */
  private placedAfterObject(
    tokens: readonly Token[],
    hits: readonly TermHit[],
    roles: readonly number[],
    owner: { facility: TermHit; partHits: ReadonlySet<TermHit> } | undefined,
  ): ReadonlySet<TermHit> {
    const placed = new Set<TermHit>();
    for (const hit of hits) {
      if (hit === owner?.facility || (roles[hit.start] ?? 1) !== 1 || hit.term.near) continue;
      if (!locativeBefore(tokens, hit.start)) continue;
      const sentence = tokens[hit.start]?.sentence;
      const object = hits.find(
        (h) =>
          h.end <= hit.start &&
          h.term.group !== hit.term.group &&
          !owner?.partHits.has(h) &&
          (roles[h.start] ?? 1) === 1 &&
          tokens[h.start]?.sentence === sentence,
      );
      if (object) placed.add(hit);
    }
    return placed;
  }

  /** The model's own best category when it is sure and the lexicon has no word for it. */
  private modelProposal(
    tokens: readonly Token[],
    masked: ReadonlySet<number>,
    totals: Map<string, { score: number; full: number; terms: string[] }>,
  ): string | undefined {
    if (!this.model || this.tuning.modelProposeAt >= 1 || this.tuning.modelWeight <= 0) return undefined;
    let best: [string, number] | undefined;
    for (const entry of this.model.posterior(nbFeatures(tokens, masked)))
      if (!best || entry[1] > best[1]) best = entry;
    if (!best || best[1] < this.tuning.modelProposeAt || totals.has(best[0])) return undefined;
    const points = this.tuning.modelWeight * best[1];
    totals.set(best[0], { score: points, full: points, terms: [`model-only:${round(best[1])}`] });
    return best[0];
  }

  /**
   * A facility's part named before the facility ("lampu di RPTRA mati", "pompa air di rusun"):
   * the facility's hit, and the hits on the part's words that belong to other categories.
   */
  private facilityOwner(
    tokens: readonly Token[],
    hits: readonly TermHit[],
  ): { facility: TermHit; partHits: ReadonlySet<TermHit> } | undefined {
    const { parts, partOf, facilities } = this.lexicon.facilityParts;
    if (parts.size === 0) return undefined;
    for (let i = 0; i < tokens.length; i++) {
      if (!tokens[i]?.roots.some((r) => parts.has(r))) continue;
      // Written as a compound ("lampu JPO", "toilet sekolah"), the facility follows the part.
      const compound = hits.find((h) => h.start === i + 1 && facilities.has(h.term.group));
      if (compound && !tokens[i + 1]?.breakBefore) {
        const partHits = new Set(
          hits.filter((h) => h.term.group !== compound.term.group && h.start <= i && i < h.end),
        );
        if (partHits.size > 0) return { facility: compound, partHits };
      }
      // "JPO-nya … lampunya mati": a part with the possessive -nya belongs to the facility
      // named just before it in the same sentence.
      if (tokens[i]?.text.endsWith('nya')) {
        const sentence = tokens[i]?.sentence;
        const before = hits.find(
          (h) =>
            facilities.has(h.term.group) &&
            h.end <= i &&
            i - h.end < OWNER_WINDOW &&
            tokens[h.start]?.sentence === sentence,
        );
        const partHits = before
          ? new Set(hits.filter((h) => h.term.group !== before.term.group && h.start <= i && i < h.end))
          : new Set<TermHit>();
        if (before && partHits.size > 0) return { facility: before, partHits };
      }
      // The preposition may follow the part directly or after one word ("pompa air di").
      for (let p = i + 1; p <= i + 2 && p < tokens.length; p++) {
        const prep = tokens[p];
        if (!prep || prep.breakBefore) break;
        if (!partOf.has(prep.text)) continue;
        // "toilet at the park": an English article may stand before the facility.
        const at = tokens[p + 1]?.text === 'the' ? p + 2 : p + 1;
        const facility = hits.find((h) => h.start === at && facilities.has(h.term.group));
        if (!facility) break;
        const partHits = new Set(
          hits.filter((h) => h.term.group !== facility.term.group && h.start <= i && i < h.end),
        );
        if (partHits.size === 0) break;
        return { facility, partHits };
      }
    }
    return undefined;
  }
}

/** Prepositions of place, and the words that stand between one and its place ("di dalam area X"). */
const LOCATIVE = new Set([
  'di',
  'dalam',
  'dalem',
  'dlm',
  'atas',
  'area',
  'kawasan',
  'lingkungan',
  'pojok',
  'pojokan',
]);

/** "di X", "di dalam X", "di area X": a word of place just before, in the same clause. */
function locativeBefore(tokens: readonly Token[], start: number): boolean {
  return !tokens[start]?.breakBefore && LOCATIVE.has(tokens[start - 1]?.text ?? '');
}

/**
 * Categories that the facility's part speaks for only as a part ("lampu", "lampu mati" of a
 * JPO). A part named as a facility of its own ("toilet umum di taman") is not a mere part.
 */
function mereParts(
  partHits: ReadonlySet<TermHit> | undefined,
  stateWords: ReadonlySet<string>,
): ReadonlySet<string> {
  const groups = new Set<string>();
  const whole = new Set<string>();
  for (const h of partHits ?? []) {
    const partAndState = h.term.words.slice(1).some((w) => stateWords.has(w.text));
    if (h.term.near || h.term.words.length === 1 || partAndState) groups.add(h.term.group);
    else whole.add(h.term.group);
  }
  for (const g of whole) groups.delete(g);
  return groups;
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
