/**
 * Trains the category model and the screen model and writes data/category-model.json and
 * data/screen-model.json:
 *   node -r @swc-node/register libs/routing/src/model/train-cli.ts
 * With --folds k it instead measures, by k-fold cross-validation over the training samples,
 * category accuracy of the lexicon alone and with the model at several weights, on folds
 * the model did not see.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CategoryClassifier, type ClassifierTuning, DEFAULT_CLASSIFIER_TUNING } from '../category/classifier';
import { NaiveBayesClassifier } from '../category/naive-bayes';
import { routingDataDir } from '../data-files';
import type { Sample } from '../eval/samples';
import { loadRoutingKnowledge } from '../knowledge';
import { resolvePlace } from '../place/resolve-place';
import { normalizeText } from '../text/normalize';
import { streetNameTokens } from '../text/street-names';
import {
  PROBE_FILES,
  SCREENING_FILES,
  TRAINING_FILES,
  type TrainingOptions,
  readFixture,
  trainModel,
  trainScreenModel,
} from './train';

function classify(classifier: CategoryClassifier, s: Sample): string | null {
  const k = loadRoutingKnowledge();
  const tokens = normalizeText(s.subject ? `${s.subject}\n${s.text}` : s.text).tokens;
  const place = resolvePlace(undefined, tokens, k);
  const masked = new Set([...place.maskedTokens, ...streetNameTokens(tokens)]);
  return classifier.classify(tokens, masked, s.category_hint).category ?? null;
}

function crossValidate(folds: number, extra: readonly string[], options: TrainingOptions): void {
  const k = loadRoutingKnowledge();
  const names = k.categories.map((c) => c.name);
  const samples = TRAINING_FILES.flatMap((f) => readFixture(f)).filter((s) => s.expected?.category);
  const variants: [string, Partial<ClassifierTuning>][] = [
    ...[0, 1, 2, 3, 4, 5, 6].map((w): [string, Partial<ClassifierTuning>] => [
      `model weight ${w}`,
      { modelWeight: w },
    ]),
    ...[0.95, 0.8, 0.6].map((p): [string, Partial<ClassifierTuning>] => [
      `model weight ${DEFAULT_CLASSIFIER_TUNING.modelWeight}, proposing at ${p}`,
      { modelProposeAt: p },
    ]),
  ];
  const weights = variants.map(([label]) => label);
  const tuning = new Map(variants);
  const correct = new Map(weights.map((w) => [w, 0]));
  for (let f = 0; f < folds; f++) {
    const train = samples.filter((_, i) => i % folds !== f);
    const test = samples.filter((_, i) => i % folds === f);
    const model = new NaiveBayesClassifier(trainModel(train, [], options));
    for (const w of weights) {
      const c = new CategoryClassifier(
        k.lexicon,
        names,
        { ...DEFAULT_CLASSIFIER_TUNING, ...tuning.get(w) },
        model,
      );
      for (const s of test)
        if (classify(c, s) === s.expected?.category) correct.set(w, (correct.get(w) ?? 0) + 1);
    }
  }
  for (const w of weights)
    process.stdout.write(`${w}: ${correct.get(w)}/${samples.length} on unseen folds\n`);
  for (const file of extra) {
    const model = new NaiveBayesClassifier(trainModel(samples, [], options));
    const test = readFixture(file).filter((s) => s.expected?.category);
    for (const w of weights) {
      const c = new CategoryClassifier(
        k.lexicon,
        names,
        { ...DEFAULT_CLASSIFIER_TUNING, ...tuning.get(w) },
        model,
      );
      const ok = test.filter((s) => classify(c, s) === s.expected?.category).length;
      process.stdout.write(`${file} (labelled with a category), ${w}: ${ok}/${test.length}\n`);
    }
  }
}

const args = process.argv.slice(2);
const foldsAt = args.indexOf('--folds');
// --no-descriptions measures the model without the category descriptions, for comparison.
const options: TrainingOptions = { descriptions: !args.includes('--no-descriptions') };
if (foldsAt >= 0) {
  crossValidate(
    Number(args[foldsAt + 1] ?? 5),
    args.filter((arg, i) => i > foldsAt + 1 && !arg.startsWith('--')),
    options,
  );
} else {
  const samples = TRAINING_FILES.flatMap((f) => readFixture(f));
  const model = trainModel(
    samples,
    [
      'crm-categories.json names',
      'lexicon.json terms',
      ...PROBE_FILES,
      ...(options.descriptions ? ['category-descriptions.json'] : []),
      ...TRAINING_FILES,
    ],
    options,
  );
  const out = join(routingDataDir(), 'category-model.json');
  writeFileSync(out, JSON.stringify(model, null, 2) + '\n');
  process.stdout.write(`wrote ${out}: ${model.classes.length} categories, ${model.vocabulary} features\n`);
  const screen = trainScreenModel(samples, [...TRAINING_FILES, ...SCREENING_FILES, ...PROBE_FILES]);
  const screenOut = join(routingDataDir(), 'screen-model.json');
  writeFileSync(screenOut, JSON.stringify(screen, null, 2) + '\n');
  process.stdout.write(`wrote ${screenOut}: ${screen.vocabulary} features\n`);
}
