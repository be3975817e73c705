import { loadRoutingKnowledge } from '../knowledge';
import { normalizeText } from '../text/normalize';

/** A short probe complaint: [text, expected category, app category?]. */
export type Probe = readonly [string, string, string?];

export interface ProbeReport {
  readonly total: number;
  readonly right: number;
  readonly misses: readonly { readonly text: string; readonly want: string; readonly got: string | null }[];
}

/** Reads a probes file (`{ "cases": [[text, category, app category?], …] }`). */
export function parseProbes(json: unknown): Probe[] {
  const cases = (json as { cases?: unknown })?.cases;
  if (!Array.isArray(cases)) throw new Error('probes file must hold { "cases": [...] }');
  return cases.map((c, i): Probe => {
    if (!Array.isArray(c) || typeof c[0] !== 'string' || typeof c[1] !== 'string')
      throw new Error(`probe #${i} must be [text, category, app category?]`);
    return typeof c[2] === 'string' ? [c[0], c[1], c[2]] : [c[0], c[1]];
  });
}

/** Category alone, from the text as the classifier sees it (no place masking: probes name few places). */
export function evaluateProbes(probes: readonly Probe[]): ProbeReport {
  const { classifier } = loadRoutingKnowledge();
  const misses: ProbeReport['misses'][number][] = [];
  for (const [text, want, hint] of probes) {
    const got = classifier.classify(normalizeText(text).tokens, new Set(), hint).category ?? null;
    if (got !== want) misses.push({ text, want, got });
  }
  return { total: probes.length, right: probes.length - misses.length, misses };
}
