import type { Token } from '../text/normalize';

/**
 * A small multinomial naive Bayes over word roots and word pairs, trained offline (see
 * `src/model/train.ts`) on the category names, the lexicon's own terms and labelled sample
 * texts, and shipped as `data/category-model.json`. It does not decide alone: it re-ranks
 * the categories the lexicon already has evidence for, where the lexicon's weights tie or
 * an unusual wording leaves the right category a little behind.
 */
export interface NaiveBayesModel {
  readonly version: number;
  /** Laplace smoothing. */
  readonly alpha: number;
  /** Distinct features seen in training. */
  readonly vocabulary: number;
  readonly classes: readonly {
    readonly name: string;
    /** Sum of feature counts. */
    readonly total: number;
    readonly counts: Readonly<Record<string, number>>;
  }[];
  /** Where the training data came from, for the record. */
  readonly trainedOn?: readonly string[];
}

/** Features of a token stream: each token's surface form and its shortest root, and adjacent pairs. */
export function nbFeatures(tokens: readonly Token[], masked: ReadonlySet<number> = new Set()): string[] {
  const out: string[] = [];
  let prev: string | undefined;
  tokens.forEach((t, i) => {
    if (masked.has(i) || !/[a-z]/.test(t.text)) {
      prev = undefined;
      return;
    }
    out.push(t.text);
    const root = t.roots.reduce((a, b) => (b.length < a.length && b.length >= 3 ? b : a), t.text);
    if (root !== t.text) out.push(`~${root}`);
    if (prev !== undefined && !t.breakBefore) out.push(`${prev}_${t.text}`);
    prev = t.text;
  });
  return out;
}

export interface TrainingDoc {
  readonly category: string;
  readonly features: readonly string[];
  readonly weight: number;
}

/** Counts per class; uniform class priors so that rare categories are not drowned. */
export function trainNaiveBayes(
  docs: readonly TrainingDoc[],
  options: { alpha?: number; trainedOn?: readonly string[]; maxClassesPerFeature?: number } = {},
): NaiveBayesModel {
  const classes = new Map<string, Map<string, number>>();
  const vocabulary = new Set<string>();
  for (const doc of docs) {
    let counts = classes.get(doc.category);
    if (!counts) {
      counts = new Map();
      classes.set(doc.category, counts);
    }
    for (const f of doc.features) {
      vocabulary.add(f);
      counts.set(f, (counts.get(f) ?? 0) + doc.weight);
    }
  }
  // A word seen in many categories ("di", "jalan", "warga") says little and costs the most at
  // run time: drop it.
  const maxClasses = options.maxClassesPerFeature ?? 25;
  const spread = new Map<string, number>();
  for (const counts of classes.values())
    for (const f of counts.keys()) spread.set(f, (spread.get(f) ?? 0) + 1);
  for (const [f, n] of spread) {
    if (n <= maxClasses) continue;
    vocabulary.delete(f);
    for (const counts of classes.values()) counts.delete(f);
  }
  const round = (x: number) => Math.round(x * 100) / 100;
  return {
    version: 1,
    alpha: options.alpha ?? 0.1,
    vocabulary: vocabulary.size,
    classes: [...classes.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, counts]) => {
        const entries = [...counts.entries()].sort(([a], [b]) => a.localeCompare(b));
        return {
          name,
          total: round(entries.reduce((s, [, c]) => s + c, 0)),
          counts: Object.fromEntries(entries.map(([f, c]) => [f, round(c)])),
        };
      }),
    ...(options.trainedOn ? { trainedOn: options.trainedOn } : {}),
  };
}

export class NaiveBayesClassifier {
  private readonly names: readonly string[];
  private readonly logDenominators: Float64Array;
  /** Per feature, the classes that have seen it and log((count + α) / α). */
  private readonly boosts: ReadonlyMap<string, readonly (readonly [number, number])[]>;
  private readonly logAlpha: number;
  private readonly index: ReadonlyMap<string, number>;
  private readonly buffer: Float64Array;

  constructor(model: NaiveBayesModel) {
    this.names = model.classes.map((c) => c.name);
    this.index = new Map(this.names.map((n, i) => [n, i]));
    this.buffer = new Float64Array(this.names.length);
    this.logAlpha = Math.log(model.alpha);
    this.logDenominators = Float64Array.from(model.classes, (c) =>
      Math.log(c.total + model.alpha * model.vocabulary),
    );
    const boosts = new Map<string, [number, number][]>();
    model.classes.forEach((c, index) => {
      for (const [feature, count] of Object.entries(c.counts)) {
        const list = boosts.get(feature) ?? [];
        list.push([index, Math.log(count + model.alpha) - this.logAlpha]);
        boosts.set(feature, list);
      }
    });
    this.boosts = boosts;
  }

  /**
   * Posterior probability of each of `names` (normalised over all categories); only features
   * seen in training count. Empty when none is known.
   */
  posterior(features: readonly string[], names: Iterable<string> = this.names): Map<string, number> {
    const result = new Map<string, number>();
    const seen = new Set<string>();
    for (const f of features) if (this.boosts.has(f)) seen.add(f);
    if (seen.size === 0) return result;
    // log P(f|c) = log(count + α) − log(total_c + αV): a shared log α per feature, plus a
    // boost where the class has seen it; sparse, so cost follows the features, not the classes.
    const logs = this.buffer;
    for (let i = 0; i < logs.length; i++)
      logs[i] = seen.size * (this.logAlpha - (this.logDenominators[i] ?? 0));
    for (const f of seen)
      for (const [index, boost] of this.boosts.get(f) ?? []) logs[index] = (logs[index] ?? 0) + boost;
    let max = -Infinity;
    for (const l of logs) if (l > max) max = l;
    let sum = 0;
    for (const l of logs) sum += Math.exp(l - max);
    for (const name of names) {
      const i = this.index.get(name);
      if (i !== undefined) result.set(name, Math.exp((logs[i] ?? -Infinity) - max) / sum);
    }
    return result;
  }
}
