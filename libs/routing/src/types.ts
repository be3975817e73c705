import type { PlaceCandidate } from './place/text-place';
import type { ResolvedUnit } from './unit/rules';

export type RoutingOutcome = 'ROUTED' | 'TRIAGE' | 'REJECTED' | 'DUPLICATE';

/** What the router knows about a received complaint; deliberately independent of the event contract. */
export interface RoutingInput {
  readonly id: string;
  readonly channel: string;
  readonly text: string;
  /** E-mail subject line; read together with the text. */
  readonly subject?: string;
  /** The category the user picked in the app (JAKI): a strong prior, not the truth. */
  readonly categoryHint?: string;
  /** As received: values are checked, never trusted (strings, NaN, swapped axes…). */
  readonly location?: { readonly lat: unknown; readonly lon: unknown } | null;
  /** ISO-8601 with offset. */
  readonly receivedAt: string;
}

export interface AreaRef {
  readonly kode: string;
  readonly nama: string;
}

export interface CategoryCandidate {
  readonly name: string;
  readonly confidence: number;
  readonly opd?: string;
}

export interface OpdCandidate {
  readonly opd: string;
  readonly label: string;
  readonly category: string;
  readonly ruleId: string;
}

/** For TRIAGE: enough for an officer to decide with one click. */
export interface RoutingCandidates {
  readonly categories: readonly CategoryCandidate[];
  readonly places: readonly PlaceCandidate[];
  readonly opds: readonly OpdCandidate[];
}

export interface RoutingDecision {
  /** The input id, echoed. */
  readonly id: string;
  readonly outcome: RoutingOutcome;
  readonly kelurahan?: AreaRef;
  readonly kecamatan?: AreaRef;
  readonly kota?: AreaRef;
  /** Exact CRM category name. */
  readonly category?: string;
  /** 0…1. */
  readonly categoryConfidence: number;
  /** 0…1: 0.99 for a point inside a kelurahan, lower for text matches, 0 when unknown. */
  readonly placeConfidence: number;
  /** OPD code from opd.json (e.g. DBM, SATPOL_PP, KELURAHAN). */
  readonly opd?: string;
  /** The concrete unit: a Suku Dinas for that kota, the kelurahan itself, or the provincial OPD. */
  readonly unit?: ResolvedUnit;
  /** For DUPLICATE: the open incident this report repeats. */
  readonly duplicateOf?: string;
  /** Machine code first, then a human explanation: `code: text`. */
  readonly reasons: readonly string[];
  readonly candidates: RoutingCandidates;
  readonly ruleId?: string;
  readonly rulesVersion?: number;
  /** Version of the curated lexicon that produced the category. */
  readonly lexiconVersion: number;
}
