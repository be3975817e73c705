import { isRecord, readRoutingJson } from '../data-files';

export interface TermWord {
  readonly text: string;
  /** Must appear as written (inflections only), not any derived form. */
  readonly exact: boolean;
}

export interface Term {
  readonly key: string;
  /** For a proximity term (`a ~ b`) the two words, in either order, within a few tokens of one sentence. */
  readonly words: readonly TermWord[];
  readonly near: boolean;
  readonly weight: number;
  /** Category name or signal name. */
  readonly group: string;
}

export interface Lexicon {
  readonly version: number;
  readonly categories: ReadonlyMap<string, readonly Term[]>;
  readonly signals: ReadonlyMap<string, readonly Term[]>;
  /** Zero-weight location phrases ("pinggir jalan") that only consume their words. */
  readonly context: readonly Term[];
  readonly hypothetical: readonly (readonly string[])[];
  readonly consequence: readonly (readonly string[])[];
  /**
   * Words after which a noun is where the problem is, or what it hit ("di trotoar",
   * "nimpa kabel"), not the problem's main object.
   */
  readonly incidental: readonly (readonly string[])[];
  /**
   * A part of a facility ("lampu", "atap", "toilet") followed by one of `partOf` ("di",
   * "dalam") and a facility's own term ("di RPTRA") is that facility's problem: the
   * facility's category wins over the part's (dead lamps in a park are the park's).
   */
  readonly facilityParts: {
    readonly parts: ReadonlySet<string>;
    readonly partOf: ReadonlySet<string>;
    readonly facilities: ReadonlySet<string>;
  };
}

export function compileTerms(group: string, raw: unknown): Term[] {
  if (!isRecord(raw)) return [];
  const terms: Term[] = [];
  for (const [key, weight] of Object.entries(raw)) {
    if (key.startsWith('_') || typeof weight !== 'number') continue;
    const near = key.includes('~');
    const words = key
      .toLowerCase()
      .split(near ? /\s*~\s*/ : /\s+/)
      .filter(Boolean)
      .map((w) => (w.startsWith('=') ? { text: w.slice(1), exact: true } : { text: w, exact: false }));
    if (near && (words.length !== 2 || words.some((w) => w.text.includes(' ')))) continue;
    if (words.length > 0) terms.push({ key, words, weight, group, near });
  }
  return terms;
}

function phraseList(raw: unknown): string[][] {
  return Array.isArray(raw)
    ? raw
        .filter((x): x is string => typeof x === 'string')
        .map((x) => x.toLowerCase().split(/\s+/).filter(Boolean))
    : [];
}

/** Group name of the context phrases; never a category. */
export const CONTEXT_GROUP = '_context';

let cached: Lexicon | undefined;

/** The curated lexicon in data/lexicon.json, compiled once. */
export function loadLexicon(): Lexicon {
  if (cached) return cached;
  const root = readRoutingJson('lexicon.json');
  if (!isRecord(root)) throw new Error('@aduan/routing: lexicon.json malformed');
  const categories = new Map<string, Term[]>();
  const rawCategories = root['categories'];
  if (isRecord(rawCategories)) {
    for (const [name, terms] of Object.entries(rawCategories))
      categories.set(name, compileTerms(name, terms));
  }
  const signals = new Map<string, Term[]>();
  const rawSignals = root['signals'];
  if (isRecord(rawSignals)) {
    for (const [name, terms] of Object.entries(rawSignals)) signals.set(name, compileTerms(name, terms));
  }
  const modifiers = isRecord(root['modifiers']) ? root['modifiers'] : {};
  cached = {
    version: typeof root['version'] === 'number' ? root['version'] : 0,
    categories,
    signals,
    context: compileTerms(CONTEXT_GROUP, root['context']),
    hypothetical: phraseList(modifiers['hypothetical']),
    consequence: phraseList(modifiers['consequence']),
    incidental: phraseList(modifiers['incidental']),
    facilityParts: {
      parts: new Set(phraseList(modifiers['facilityParts']).flat()),
      partOf: new Set(phraseList(modifiers['partOf']).flat()),
      facilities: new Set(
        Array.isArray(modifiers['facilities'])
          ? modifiers['facilities'].filter((x): x is string => typeof x === 'string')
          : [],
      ),
    },
  };
  return cached;
}
