import type { Token } from '../text/normalize';
import { inflectionForms } from '../text/stem';
import type { Term } from './lexicon';

export interface TermHit {
  readonly term: Term;
  readonly start: number;
  readonly end: number;
  /** Weight after context modifiers (hypothetical, consequence). */
  readonly effectiveWeight: number;
}

/** Per-token multiplier: words after "nanti/kalau/takut…" describe what might happen, not the problem. */
export type TokenModifiers = readonly number[];

function wordMatches(word: { text: string; exact: boolean }, token: Token): boolean {
  return word.exact ? inflectionForms(token.text).includes(word.text) : token.roots.includes(word.text);
}

/**
 * Finds lexicon terms in a token stream. Phrases may not cross punctuation or masked
 * (place-name) tokens. A longer phrase consumes its words: shorter terms inside it do not
 * count, so "tutup got" is a drain cover and not a drain. Each term counts once.
 */
/** Proximity terms ("jalan ~ rusak") look this many tokens either way. */
const NEAR_WINDOW = 6;

export class TermMatcher {
  private readonly byFirstWord = new Map<string, Term[]>();
  private readonly nearByWord = new Map<string, Term[]>();
  private readonly maxLen: number;

  constructor(terms: Iterable<Term>) {
    let maxLen = 1;
    for (const term of terms) {
      const first = term.words[0];
      if (!first) continue;
      if (term.near) {
        const list = this.nearByWord.get(first.text);
        if (list) list.push(term);
        else this.nearByWord.set(first.text, [term]);
        continue;
      }
      const list = this.byFirstWord.get(first.text);
      if (list) list.push(term);
      else this.byFirstWord.set(first.text, [term]);
      maxLen = Math.max(maxLen, term.words.length);
    }
    this.maxLen = maxLen;
  }

  /**
   * `roles` (see `roleModifiers`) lower single words and phrases that stand where the
   * problem is rather than what it is; proximity terms pair an object with its problem and
   * keep their weight.
   */
  match(
    tokens: readonly Token[],
    masked: ReadonlySet<number>,
    modifiers?: TokenModifiers,
    roles?: TokenModifiers,
  ): TermHit[] {
    const raw: TermHit[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i];
      if (!token || masked.has(i)) continue;
      const seen = new Set<Term>();
      for (const root of token.roots) {
        for (const term of this.byFirstWord.get(root) ?? []) {
          if (seen.has(term)) continue;
          seen.add(term);
          if (this.matchesAt(term, tokens, i, masked)) {
            raw.push({
              term,
              start: i,
              end: i + term.words.length,
              effectiveWeight: term.weight * (modifiers?.[i] ?? 1) * (roles?.[i] ?? 1),
            });
          }
        }
      }
    }
    const consumedBy = new Map<number, string>();
    const kept = this.consume(raw, consumedBy);
    return [
      ...kept,
      ...this.matchNear(tokens, masked, consumedBy, modifiers, new Set(kept.map((h) => h.term))),
    ];
  }

  /**
   * "jalan … rusak" in one clause is a damaged road even without the fixed phrase. A word
   * already used by another category's phrase ("lampu merah … mati") does not count.
   */
  private matchNear(
    tokens: readonly Token[],
    masked: ReadonlySet<number>,
    consumedBy: ReadonlyMap<number, string>,
    modifiers: TokenModifiers | undefined,
    already: ReadonlySet<Term>,
  ): TermHit[] {
    if (this.nearByWord.size === 0) return [];
    const found = new Map<Term, TermHit>();
    const free = (i: number, group: string): boolean => {
      const owner = consumedBy.get(i);
      return !masked.has(i) && (owner === undefined || owner === group);
    };
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i];
      if (!token) continue;
      for (const root of token.roots) {
        for (const term of this.nearByWord.get(root) ?? []) {
          const [a, b] = term.words;
          if (
            !a ||
            !b ||
            found.has(term) ||
            already.has(term) ||
            !free(i, term.group) ||
            !wordMatches(a, token)
          )
            continue;
          for (let j = Math.max(0, i - NEAR_WINDOW); j <= Math.min(tokens.length - 1, i + NEAR_WINDOW); j++) {
            const other = tokens[j];
            if (
              j === i ||
              !other ||
              other.sentence !== token.sentence ||
              !free(j, term.group) ||
              !wordMatches(b, other)
            )
              continue;
            const factor = Math.min(modifiers?.[i] ?? 1, modifiers?.[j] ?? 1);
            found.set(term, {
              term,
              start: Math.min(i, j),
              end: Math.max(i, j) + 1,
              effectiveWeight: term.weight * factor,
            });
            break;
          }
        }
      }
    }
    return [...found.values()];
  }

  private matchesAt(term: Term, tokens: readonly Token[], i: number, masked: ReadonlySet<number>): boolean {
    for (let k = 0; k < term.words.length; k++) {
      const token = tokens[i + k];
      const word = term.words[k];
      if (!token || !word || masked.has(i + k) || (k > 0 && token.breakBefore)) return false;
      if (!wordMatches(word, token)) return false;
    }
    return true;
  }

  private consume(hits: TermHit[], consumedBy: Map<number, string>): TermHit[] {
    const consumed = new Set<number>();
    const kept = new Map<Term, TermHit>();
    for (let len = this.maxLen; len >= 1; len--) {
      const level = hits
        .filter((h) => h.end - h.start === len && !rangeHits(consumed, h.start, h.end))
        .sort((a, b) => b.effectiveWeight - a.effectiveWeight);
      // Two terms of one group on the same words ("tidak alir", "tidak mengalir") are one piece of evidence.
      const accepted: TermHit[] = [];
      for (const h of level) {
        if (!accepted.some((a) => a.term.group === h.term.group && a.start < h.end && h.start < a.end))
          accepted.push(h);
      }
      for (const h of accepted) {
        const prev = kept.get(h.term);
        if (!prev || h.effectiveWeight > prev.effectiveWeight) kept.set(h.term, h);
      }
      for (const h of accepted) {
        for (let t = h.start; t < h.end; t++) {
          consumed.add(t);
          if (len > 1 && !consumedBy.has(t)) consumedBy.set(t, h.term.group);
        }
      }
    }
    return [...kept.values()];
  }
}

function rangeHits(set: ReadonlySet<number>, start: number, end: number): boolean {
  for (let t = start; t < end; t++) if (set.has(t)) return true;
  return false;
}

/** Token multipliers from modifier phrases within the same sentence. */
export function contextModifiers(
  tokens: readonly Token[],
  hypothetical: readonly (readonly string[])[],
  consequence: readonly (readonly string[])[],
): number[] {
  const mods = tokens.map(() => 1);
  const apply = (phrases: readonly (readonly string[])[], factor: number, window: number): void => {
    for (let i = 0; i < tokens.length; i++) {
      for (const phrase of phrases) {
        if (!phrase.every((w, k) => tokens[i + k]?.text === w)) continue;
        const sentence = tokens[i]?.sentence;
        for (let j = i + phrase.length; j < Math.min(tokens.length, i + phrase.length + window); j++) {
          if (tokens[j]?.sentence !== sentence) break;
          mods[j] = Math.min(mods[j] ?? 1, factor);
        }
      }
    }
  };
  apply(hypothetical, 0.3, 4);
  apply(consequence, 0.5, 8);
  return mods;
}

/** Weight of a word that only says where the problem is or what it hit. */
export const INCIDENTAL_FACTOR = 0.6;
/** How many words after "di/ke/depan/nimpa…" are read as incidental. */
const INCIDENTAL_WINDOW = 2;

/**
 * The main object of a complaint is what comes first and carries the problem ("pohon
 * tumbang nutupin jalan"); nouns after a place preposition or an impact verb ("di trotoar",
 * "nimpa kabel", "dekat halte") say where or what else. Those get `INCIDENTAL_FACTOR`, up to
 * a clause break.
 */
export function roleModifiers(
  tokens: readonly Token[],
  incidental: readonly (readonly string[])[],
): number[] {
  const mods = tokens.map(() => 1);
  for (let i = 0; i < tokens.length; i++) {
    for (const phrase of incidental) {
      if (!phrase.every((w, k) => tokens[i + k]?.text === w)) continue;
      for (
        let j = i + phrase.length;
        j < Math.min(tokens.length, i + phrase.length + INCIDENTAL_WINDOW);
        j++
      ) {
        const t = tokens[j];
        if (!t || t.breakBefore) break;
        mods[j] = INCIDENTAL_FACTOR;
      }
    }
  }
  return mods;
}
