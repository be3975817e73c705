import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type NaiveBayesModel, type TrainingDoc, nbFeatures, trainNaiveBayes } from '../category/naive-bayes';
import { type Sample, parseSamples } from '../eval/samples';
import { loadRoutingKnowledge } from '../knowledge';
import { resolvePlace } from '../place/resolve-place';
import { normalizeText } from '../text/normalize';
import { streetNameTokens } from '../text/street-names';

/** Sample sets the shipped model learns from. The frozen hard set and the held-out sets never are. */
export const TRAINING_FILES = [
  'routing-samples.public.json',
  'routing-samples.dev.json',
  'routing-samples.hard-dev.json',
] as const;

export function fixturesDir(): string {
  return join(__dirname, '..', '..', 'test', 'fixtures');
}

export function readFixture(name: string): Sample[] {
  return parseSamples(JSON.parse(readFileSync(join(fixturesDir(), name), 'utf8')) as unknown);
}

/** Each category's name, and every lexicon term weighted by its weight. */
export function lexiconDocs(): TrainingDoc[] {
  const k = loadRoutingKnowledge();
  const docs: TrainingDoc[] = [];
  for (const c of k.categories) {
    docs.push({ category: c.name, features: nbFeatures(normalizeText(c.name).tokens), weight: 2 });
    for (const term of k.lexicon.categories.get(c.name) ?? []) {
      if (term.weight <= 0) continue;
      const text = term.words.map((w) => w.text).join(' ');
      docs.push({ category: c.name, features: nbFeatures(normalizeText(text).tokens), weight: term.weight });
    }
  }
  return docs;
}

/** A labelled sample with its place names masked, as the classifier will see it. */
export function sampleDoc(sample: Sample): TrainingDoc | undefined {
  const category = sample.expected?.category;
  if (!category) return undefined;
  const k = loadRoutingKnowledge();
  const text = sample.subject ? `${sample.subject}\n${sample.text}` : sample.text;
  const tokens = normalizeText(text).tokens;
  const place = resolvePlace(undefined, tokens, k);
  const masked = new Set([...place.maskedTokens, ...streetNameTokens(tokens)]);
  return { category, features: nbFeatures(tokens, masked), weight: 1 };
}

/** Probe files the model learns from; their held-out quarters never are. */
export const PROBE_FILES = [
  'category-probes.json',
  'category-probes-7.json',
  'main-object-probes.json',
  'everyday-probes.json',
] as const;

/** The hand-written probe complaints (`test/fixtures/category-probes*.json`). */
export function probeDocs(): TrainingDoc[] {
  return PROBE_FILES.flatMap((file) => {
    const raw = JSON.parse(readFileSync(join(fixturesDir(), file), 'utf8')) as {
      cases: [string, string, string?][];
    };
    return raw.cases.map(([text, category]) => ({
      category,
      features: nbFeatures(normalizeText(text).tokens),
      weight: 1,
    }));
  });
}

/**
 * Each category described in the words complaints use (`test/fixtures/category-descriptions.json`):
 * text for the rare categories that the samples and probes hardly cover.
 */
export function descriptionDocs(): TrainingDoc[] {
  const raw = JSON.parse(readFileSync(join(fixturesDir(), 'category-descriptions.json'), 'utf8')) as {
    categories: Record<string, string[]>;
  };
  return Object.entries(raw.categories).flatMap(([category, texts]) =>
    texts.map((text) => ({ category, features: nbFeatures(normalizeText(text).tokens), weight: 1 })),
  );
}

export interface TrainingOptions {
  readonly probes?: boolean;
  readonly descriptions?: boolean;
}

export function trainModel(
  samples: readonly Sample[],
  trainedOn: readonly string[],
  options: TrainingOptions = {},
): NaiveBayesModel {
  const docs = [
    ...lexiconDocs(),
    ...(options.probes !== false ? probeDocs() : []),
    ...(options.descriptions !== false ? descriptionDocs() : []),
    ...samples.map(sampleDoc).filter((d): d is TrainingDoc => !!d),
  ];
  return trainNaiveBayes(docs, { alpha: 0.1, trainedOn });
}

/** Probe files of messages labelled [text, should be rejected]; their held-out quarters never train. */
export const SCREENING_FILES = ['screening-probes.json', 'screening-probes-7.json'] as const;

export const JUNK = 'not a complaint';
export const COMPLAINT = 'complaint';

/**
 * The screen model: complaints against what is not one, from the samples' outcomes, the
 * screening probes, and every category probe and description as a complaint.
 */
export function trainScreenModel(samples: readonly Sample[], trainedOn: readonly string[]): NaiveBayesModel {
  const doc = (text: string, junk: boolean): TrainingDoc => ({
    category: junk ? JUNK : COMPLAINT,
    features: nbFeatures(normalizeText(text).tokens),
    weight: 1,
  });
  const docs: TrainingDoc[] = samples.map((s) =>
    doc(s.subject ? `${s.subject}\n${s.text}` : s.text, s.expected?.outcome === 'REJECTED'),
  );
  for (const file of SCREENING_FILES) {
    const raw = JSON.parse(readFileSync(join(fixturesDir(), file), 'utf8')) as { cases: [string, boolean][] };
    docs.push(...raw.cases.map(([text, junk]) => doc(text, junk)));
  }
  for (const file of PROBE_FILES) {
    const raw = JSON.parse(readFileSync(join(fixturesDir(), file), 'utf8')) as { cases: [string, string][] };
    docs.push(...raw.cases.map(([text]) => doc(text, false)));
  }
  // Two classes: no word is too common to keep.
  return trainNaiveBayes(docs, { alpha: 0.5, trainedOn, maxClassesPerFeature: 2 });
}
