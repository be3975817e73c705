import {
  loadCategories,
  loadKelurahanFeatures,
  loadOpds,
  loadWilayah,
  type CrmCategory,
  type Opd,
} from '@aduan/reference-data';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CategoryClassifier, DEFAULT_CLASSIFIER_TUNING } from './category/classifier';
import { loadLexicon, type Lexicon } from './category/lexicon';
import { NaiveBayesClassifier, type NaiveBayesModel } from './category/naive-bayes';
import { Screener } from './category/screening';
import { isRecord, readRoutingJson, routingDataDir } from './data-files';
import { Gazetteer, isSiteKind, type LandmarkData } from './place/gazetteer';
import { PointLocator } from './place/point-locator';
import { WilayahDirectory } from './place/wilayah-directory';
import {
  DEFAULT_DUPLICATE_POLICY,
  type DuplicatePolicy,
  type IncidentIndex,
} from './duplicates/incident-index';
import { defaultRoutingRules } from './unit/default-rules';
import type { RoutingRules, UnitNames } from './unit/rules';

/** Everything derived from reference data: built once per process (about 100 ms), shared by all contexts. */
export interface RoutingKnowledge {
  readonly locator: PointLocator;
  readonly gazetteer: Gazetteer;
  readonly directory: WilayahDirectory;
  readonly classifier: CategoryClassifier;
  readonly screener: Screener;
  readonly lexicon: Lexicon;
  readonly categories: readonly CrmCategory[];
  readonly opds: readonly Opd[];
  readonly unitNames: UnitNames;
}

function loadLandmarks(): LandmarkData {
  const root = readRoutingJson('landmarks.json');
  if (!isRecord(root) || !Array.isArray(root['landmarks']))
    throw new Error('@aduan/routing: landmarks.json malformed');
  const landmarks: LandmarkData['landmarks'][number][] = [];
  for (const raw of root['landmarks']) {
    if (!isRecord(raw) || !Array.isArray(raw['names'])) continue;
    const names = raw['names'].filter((n): n is string => typeof n === 'string');
    const kelurahan = typeof raw['kelurahan'] === 'string' ? raw['kelurahan'] : null;
    const candidates = Array.isArray(raw['candidates'])
      ? raw['candidates'].filter((c): c is string => typeof c === 'string')
      : undefined;
    const kind = raw['kind'] === 'street' || raw['kind'] === 'area' ? raw['kind'] : 'landmark';
    landmarks.push({
      names,
      kelurahan,
      kind,
      ...(candidates ? { candidates } : {}),
      ...(typeof raw['confidence'] === 'number' ? { confidence: raw['confidence'] } : {}),
      ...(isSiteKind(raw['site']) ? { site: raw['site'] } : {}),
    });
  }
  const marker = isRecord(root['needsMarker']) ? root['needsMarker']['names'] : undefined;
  const needsMarker = Array.isArray(marker) ? marker.filter((n): n is string => typeof n === 'string') : [];
  const heads = root['facilityHeads'];
  const facilityHeads = Array.isArray(heads) ? heads.filter((n): n is string => typeof n === 'string') : [];
  return { landmarks, needsMarker, facilityHeads };
}

/**
 * A trained naive Bayes model shipped in `data/` (the category model, the screen model; see
 * `src/model/train-cli.ts`), when the file is there.
 */
function loadModel(file: string): NaiveBayesClassifier | undefined {
  if (!existsSync(join(routingDataDir(), file))) return undefined;
  const raw = readRoutingJson(file);
  if (!isRecord(raw) || !Array.isArray(raw['classes'])) throw new Error(`@aduan/routing: ${file} malformed`);
  return new NaiveBayesClassifier(raw as unknown as NaiveBayesModel);
}

let knowledge: RoutingKnowledge | undefined;

export function loadRoutingKnowledge(): RoutingKnowledge {
  if (knowledge) return knowledge;
  const wilayah = loadWilayah();
  const directory = new WilayahDirectory(wilayah);
  const categories = loadCategories();
  const opds = loadOpds();
  const lexicon = loadLexicon();
  const opdByCode = new Map(opds.map((o) => [o.code, o.name]));
  knowledge = {
    locator: new PointLocator(loadKelurahanFeatures()),
    gazetteer: new Gazetteer(wilayah, loadLandmarks()),
    directory,
    classifier: new CategoryClassifier(
      lexicon,
      categories.map((c) => c.name),
      DEFAULT_CLASSIFIER_TUNING,
      loadModel('category-model.json'),
    ),
    screener: new Screener(lexicon, loadModel('screen-model.json')),
    lexicon,
    categories,
    opds,
    unitNames: {
      opdName: (code) => opdByCode.get(code),
      wilayahName: (kode) => directory.area(kode)?.nama,
    },
  };
  return knowledge;
}

export interface RoutingThresholds {
  /** Below this category confidence the outcome is TRIAGE. */
  readonly category: number;
  /** Below this place confidence the kelurahan is not trusted (TRIAGE). */
  readonly place: number;
}

export const DEFAULT_THRESHOLDS: RoutingThresholds = { category: 0.4, place: 0.6 };

export interface RoutingContext {
  readonly knowledge: RoutingKnowledge;
  readonly rules: RoutingRules;
  readonly thresholds: RoutingThresholds;
  readonly duplicatePolicy: DuplicatePolicy;
  /** Open incidents for duplicate detection; without it no report is a DUPLICATE. */
  readonly incidents?: IncidentIndex;
  /** Add every ROUTED report to `incidents` (the service may prefer to add on its own). */
  readonly recordIncidents: boolean;
}

export interface RoutingContextOptions {
  readonly rules?: RoutingRules;
  readonly thresholds?: Partial<RoutingThresholds>;
  readonly duplicatePolicy?: Partial<DuplicatePolicy>;
  readonly incidents?: IncidentIndex;
  readonly recordIncidents?: boolean;
}

/** The default rule set (route_to[0] per category), for seeding the admin-editable store. */
export function defaultRules(): RoutingRules {
  const k = loadRoutingKnowledge();
  return defaultRoutingRules(k.categories, k.opds);
}

export function createRoutingContext(options: RoutingContextOptions = {}): RoutingContext {
  const k = loadRoutingKnowledge();
  return {
    knowledge: k,
    rules: options.rules ?? defaultRoutingRules(k.categories, k.opds),
    thresholds: { ...DEFAULT_THRESHOLDS, ...options.thresholds },
    duplicatePolicy: { ...DEFAULT_DUPLICATE_POLICY, ...options.duplicatePolicy },
    ...(options.incidents ? { incidents: options.incidents } : {}),
    recordIncidents: options.recordIncidents ?? true,
  };
}
