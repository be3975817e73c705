import type { CategoryResult } from './category/classifier';
import { categoryOutsideAuthority, type ScreeningResult } from './category/screening';
import { textSignature } from './duplicates/text-signature';
import type { IncidentRecord } from './duplicates/incident-index';
import type { RoutingContext } from './knowledge';
import type { SiteKind } from './place/gazetteer';
import type { NamedSite } from './place/text-place';
import { type PlaceDecision, resolvePlace } from './place/resolve-place';
import { normalizeText } from './text/normalize';
import { streetNameTokens } from './text/street-names';
import type {
  CategoryCandidate,
  OpdCandidate,
  RoutingCandidates,
  RoutingDecision,
  RoutingInput,
  RoutingOutcome,
} from './types';
import { evaluateRules, type RuleFacts } from './unit/rules';

interface Analysis {
  readonly decision: RoutingDecision;
  /** What duplicate detection compares: for a ROUTED report, or a TRIAGE one whose place is known. */
  readonly incident?: IncidentRecord;
  /** Only a ROUTED report opens a new incident; a TRIAGE one may still repeat an open one. */
  readonly opensIncident?: boolean;
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/**
 * Field reports start with who reports ("Laporan petugas PPSU: …"); naming the reporter's
 * unit says nothing about the problem, so the classifier skips it.
 */
const REPORTER_HEADER = /^\s*(?:\[[^\]]{1,40}\]\s*)?(?:laporan\s+)?(?:petugas|officer)\b[^:\n]{0,60}:/i;

function headerTokenCount(text: string): number {
  const header = REPORTER_HEADER.exec(text);
  return header ? normalizeText(header[0]).tokens.length : 0;
}

/**
 * A letter's sign-off ("Terima kasih,\nKetua RW 05") says who writes, not what is wrong: "Ketua
 * RW" there is no complaint about the RW. The lines after the closing are skipped like a header.
 */
const SIGN_OFF =
  /\n[ \t]*(?:terima\s*kasih|hormat\s+kami|salam(?:\s+\w+)?|wassalam\w*|regards|best\s+regards)\b[^\n]{0,30}((?:\n[^\n]{0,50}){1,3})\s*$/i;

function signOffTokenCount(text: string): number {
  const signOff = SIGN_OFF.exec(text);
  return signOff?.[1] ? normalizeText(signOff[1]).tokens.length : 0;
}

/**
 * "KRL ketahan di Manggarai": on the commuter rail a bare name is a station's, and stations sit
 * on kelurahan edges; a kelurahan written as such ("Kel. Manggarai") or a known landmark still
 * places it.
 */
function stationsPlaceNothing(place: PlaceDecision): PlaceDecision {
  if (place.source !== 'text' || !place.textEvidence || /^(kel\.|landmark )/.test(place.textEvidence))
    return place;
  const { kelurahan: _k, kecamatan: _kc, kota: _ko, textEvidence: _e, ...rest } = place;
  return {
    ...rest,
    confidence: 0,
    source: 'none',
    reasons: [
      ...place.reasons,
      `station_name: "${place.textEvidence ?? ''}" names a station of the commuter rail`,
    ],
  };
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

function factsOf(category: string, place: PlaceDecision, channel: string): RuleFacts {
  return {
    category,
    channel,
    ...(place.kelurahan ? { kelurahanKode: place.kelurahan.kode } : {}),
    ...(place.kecamatan ? { kecamatanKode: place.kecamatan.kode } : {}),
    ...(place.kota ? { kotaKode: place.kota.kode } : {}),
  };
}

function buildCandidates(
  ctx: RoutingContext,
  classification: CategoryResult,
  place: PlaceDecision,
  channel: string,
): RoutingCandidates {
  const top = classification.ranked.slice(0, 3);
  const denominator = (top[0]?.score ?? 0) + (top[1]?.score ?? 0) + 2;
  const categories: CategoryCandidate[] = [];
  const opds: OpdCandidate[] = [];
  for (const c of top) {
    if (c.score <= 0) continue;
    const evaluation = evaluateRules(ctx.rules, factsOf(c.name, place, channel), ctx.knowledge.unitNames);
    categories.push({
      name: c.name,
      confidence: round(Math.min(0.97, c.score / denominator)),
      ...(evaluation ? { opd: evaluation.unit.opd } : {}),
    });
    if (evaluation && !opds.some((o) => o.opd === evaluation.unit.opd && o.label === evaluation.unit.label)) {
      opds.push({
        opd: evaluation.unit.opd,
        label: evaluation.unit.label,
        category: c.name,
        ruleId: evaluation.rule.id,
      });
    }
  }
  const places = place.kelurahan
    ? [
        {
          kode: place.kelurahan.kode,
          nama: place.kelurahan.nama,
          level: 'kelurahan' as const,
          confidence: place.confidence,
          source: place.source === 'point' ? 'GPS point' : 'text',
        },
        ...place.candidates.filter((c) => c.kode !== place.kelurahan?.kode),
      ]
    : place.candidates;
  return { categories, places: places.slice(0, 5), opds };
}

function analyse(input: RoutingInput, ctx: RoutingContext): Analysis {
  const k = ctx.knowledge;
  const text = str(input.text);
  const subject = str(input.subject);
  const channel = str(input.channel);
  const hint = str(input.categoryHint) || undefined;
  const full = subject ? `${subject}\n${text}` : text;
  const normalized = normalizeText(full);
  const tokens = normalized.tokens;
  const reasons: string[] = [];
  if (normalized.signals.truncated)
    reasons.push('text_truncated: only the beginning of a very long text was read');

  const resolved = resolvePlace(input.location, tokens, k);
  const classifierMask = new Set([...resolved.maskedTokens, ...streetNameTokens(tokens)]);
  const header = headerTokenCount(text);
  const offset = subject ? normalizeText(subject).tokens.length : 0;
  for (let i = 0; i < header; i++) classifierMask.add(offset + i);
  for (let i = tokens.length - signOffTokenCount(text); i < tokens.length; i++) classifierMask.add(i);

  const classification = k.classifier.classify(tokens, classifierMask, hint);
  const screening: ScreeningResult = k.screener.screen({
    text: normalized,
    complaintScore: classification.textTop,
    hasHint: classification.hint !== undefined,
    hasLocation: resolved.point !== undefined,
    namesPlace: resolved.source === 'text' || resolved.candidates.length > 0,
  });

  const place = screening.outOfAuthority?.code === 'railway' ? stationsPlaceNothing(resolved) : resolved;

  const base = {
    id: str(input.id),
    lexiconVersion: k.lexicon.version,
  };

  if (screening.reject) {
    // A rejected message has no complaint location; only a GPS point is still reported.
    const located = place.source === 'point' && place.kelurahan;
    return {
      decision: {
        ...base,
        outcome: 'REJECTED',
        ...(located ? { kelurahan: place.kelurahan, kecamatan: place.kecamatan, kota: place.kota } : {}),
        categoryConfidence: 0,
        placeConfidence: located ? place.confidence : 0,
        reasons: [
          `${screening.reject.code}: ${screening.reject.detail}`,
          ...reasons,
          ...place.reasons.filter(isCoordinateReason),
        ],
        candidates: { categories: [], places: [], opds: [] },
      },
    };
  }

  if (screening.doubted)
    reasons.push(
      `rejection_doubted: the rule ${screening.doubted.code} matched, but the message reads like a complaint`,
    );
  reasons.push(...place.reasons, ...classification.reasons);
  const candidates = buildCandidates(ctx, classification, place, channel);
  const areas = {
    ...(place.kelurahan ? { kelurahan: { kode: place.kelurahan.kode, nama: place.kelurahan.nama } } : {}),
    ...(place.kecamatan ? { kecamatan: place.kecamatan } : {}),
    ...(place.kota ? { kota: place.kota } : {}),
  };

  if (!classification.category) {
    reasons.unshift(
      tokens.length === 0
        ? 'text_empty: no readable words (empty or emoji-only)'
        : 'no_identifiable_problem: no complaint category can be recognised',
    );
    return {
      decision: {
        ...base,
        outcome: 'TRIAGE',
        ...areas,
        categoryConfidence: 0,
        placeConfidence: place.confidence,
        reasons,
        candidates,
      },
    };
  }

  const category = atSite(classification.category, place.site, reasons);
  const evaluation = evaluateRules(ctx.rules, factsOf(category, place, channel), k.unitNames);
  const triage: string[] = [];
  if (tokens.length === 0) triage.push('text_empty: only the app category is known; confirm it');
  const outside = screening.outOfAuthority ?? categoryOutsideAuthority(category);
  if (outside) triage.push(`out_of_authority: ${outside.detail}`);
  if (!place.kelurahan && !place.outsideJakarta) {
    triage.push('no_usable_location: no GPS point and no unambiguous kelurahan in the text');
  }
  if (place.outsideJakarta) triage.push('outside_jurisdiction: the point is outside DKI Jakarta');
  if (place.kelurahan && place.confidence < ctx.thresholds.place) triage.push('low_place_confidence');
  if (classification.confidence < ctx.thresholds.category) {
    triage.push(`low_category_confidence: ${classification.confidence} < ${ctx.thresholds.category}`);
  }
  if (!evaluation) triage.push(`no_rule_matched: no routing rule for ${category}`);

  const outcome: RoutingOutcome = triage.length > 0 ? 'TRIAGE' : 'ROUTED';
  const decision: RoutingDecision = {
    ...base,
    outcome,
    ...areas,
    category,
    categoryConfidence: classification.confidence,
    placeConfidence: place.confidence,
    ...(evaluation ? { opd: evaluation.unit.opd, unit: evaluation.unit, ruleId: evaluation.rule.id } : {}),
    rulesVersion: ctx.rules.version,
    reasons: [...triage, ...reasons],
    candidates,
  };
  // Unsure only about the category: if it repeats an open incident of the same family at the
  // same spot, it is that incident's duplicate (a second report rarely reads like the first).
  const onlyUnsureCategory = triage.length === 1 && triage[0]?.startsWith('low_category_confidence');
  const incident: IncidentRecord | undefined =
    outcome === 'ROUTED' || onlyUnsureCategory
      ? {
          id: decision.id,
          category,
          ...(place.kelurahan ? { kelurahanKode: place.kelurahan.kode } : {}),
          ...(place.source === 'point' && place.point ? { point: place.point } : {}),
          receivedAt: str(input.receivedAt),
          textSignature: textSignature(tokens, place.maskedTokens),
          categoryConfidence: classification.confidence,
          ...(place.source === 'text' && place.textEvidence?.startsWith('landmark ')
            ? { placeKey: place.textEvidence }
            : {}),
        }
      : undefined;
  // A report unsure only of its category still opens an incident: its later reports point to it.
  return { decision, ...(incident ? { incident, opensIncident: true } : {}) };
}

/**
 * What the labelling rules call litter and neglect at a site: the site's own upkeep, by kind of
 * site. A stadium's dirty toilets read as tourism ("malu sama turis") are still the stadium's.
 */
const UPKEEP_OF_A_SITE: Readonly<
  Record<SiteKind, { reason: string; category: string; neglect: ReadonlySet<string> }>
> = {
  tourism: {
    reason: 'tourist_site',
    category: 'Tempat Wisata',
    neglect: new Set(['Sampah', 'Fasilitas Sosial/Fasilitas Umum']),
  },
  sports: {
    reason: 'sports_site',
    category: 'Fasilitas Olahraga',
    // Litter after a concert is still Sampah; broken toilets and seats are the venue's.
    neglect: new Set(['Fasilitas Sosial/Fasilitas Umum', 'Tempat Wisata']),
  },
};

/** "Setu Babakan: sampah numpuk", "toilet di GOR rusak": the site's manager answers, not the district's. */
function atSite(category: string, site: NamedSite | undefined, reasons: string[]): string {
  const upkeep = site && UPKEEP_OF_A_SITE[site.kind];
  if (!site || !upkeep?.neglect.has(category)) return category;
  reasons.push(
    `${upkeep.reason}: ${category} at ${site.label} is the upkeep of the site (${upkeep.category})`,
  );
  return upkeep.category;
}

/**
 * A duplicate joins its incident: it is handled under the incident's category and unit, even
 * when its own words pointed to a neighbouring category of the same family.
 */
function asIncidentCategory(
  decision: RoutingDecision,
  category: string,
  input: RoutingInput,
  ctx: RoutingContext,
): RoutingDecision {
  if (decision.category === category) return decision;
  const facts: RuleFacts = {
    category,
    channel: str(input.channel),
    ...(decision.kelurahan ? { kelurahanKode: decision.kelurahan.kode } : {}),
    ...(decision.kecamatan ? { kecamatanKode: decision.kecamatan.kode } : {}),
    ...(decision.kota ? { kotaKode: decision.kota.kode } : {}),
  };
  const evaluation = evaluateRules(ctx.rules, facts, ctx.knowledge.unitNames);
  if (!evaluation) return decision;
  return {
    ...decision,
    category,
    opd: evaluation.unit.opd,
    unit: evaluation.unit,
    ruleId: evaluation.rule.id,
  };
}

function isCoordinateReason(reason: string): boolean {
  return reason.startsWith('coordinates_') || reason.startsWith('point_');
}

function failed(input: RoutingInput, error: unknown, ctx: RoutingContext): RoutingDecision {
  const message = error instanceof Error ? error.message : String(error);
  return {
    id: str(input?.id),
    outcome: 'TRIAGE',
    categoryConfidence: 0,
    placeConfidence: 0,
    reasons: [`internal_error: ${message.slice(0, 200)}`],
    candidates: { categories: [], places: [], opds: [] },
    lexiconVersion: ctx.knowledge.lexicon.version,
  };
}

/**
 * Place, category and unit for one report, without duplicate detection. Pure and
 * synchronous; never throws (an unexpected failure becomes TRIAGE with `internal_error`).
 */
export function proposeRouting(input: RoutingInput, ctx: RoutingContext): RoutingDecision {
  try {
    return analyse(input, ctx).decision;
  } catch (error) {
    return failed(input, error, ctx);
  }
}

/**
 * A report read once: its proposed decision and the duplicate probe `decideAnalysed` will make.
 * Callers that must know the probe before deciding (to take locks) analyse first.
 */
export interface RoutingAnalysis {
  readonly input: RoutingInput;
  /** What duplicate detection will look for, when it looks at all. */
  readonly probe?: IncidentRecord;
  /** @internal */
  readonly analysis: Analysis | { readonly failed: RoutingDecision };
}

/** Reads a report without touching the incident index. Never throws. */
export function analyseRouting(input: RoutingInput, ctx: RoutingContext): RoutingAnalysis {
  try {
    const analysis = analyse(input, ctx);
    return { input, analysis, ...(analysis.incident ? { probe: analysis.incident } : {}) };
  } catch (error) {
    return { input, analysis: { failed: failed(input, error, ctx) } };
  }
}

/**
 * The full decision: `proposeRouting` plus duplicate detection against `ctx.incidents`, and
 * (when `ctx.recordIncidents`) registering a ROUTED report as a new open incident.
 * Never rejects.
 */
export function decide(input: RoutingInput, ctx: RoutingContext): Promise<RoutingDecision> {
  return decideAnalysed(analyseRouting(input, ctx), ctx);
}

/** `decide` for a report already analysed under the same rules and knowledge. Never rejects. */
export async function decideAnalysed(read: RoutingAnalysis, ctx: RoutingContext): Promise<RoutingDecision> {
  if ('failed' in read.analysis) return read.analysis.failed;
  const analysis = read.analysis;
  const input = read.input;
  const { decision, incident, opensIncident } = analysis;
  if (!incident || !ctx.incidents) return decision;
  try {
    const match = await ctx.incidents.findDuplicate(incident, ctx.duplicatePolicy);
    if (match) {
      const how =
        match.basis === 'point'
          ? `${match.distanceMeters ?? '?'} m and ${match.minutesApart} min apart`
          : `same kelurahan, text similarity ${match.similarity ?? '?'}, ${match.minutesApart} min apart`;
      return {
        // The duplicate joins the incident's category unless it was read with more certainty.
        ...((match.categoryConfidence ?? 1) >= decision.categoryConfidence
          ? asIncidentCategory(decision, match.category, input, ctx)
          : decision),
        outcome: 'DUPLICATE',
        duplicateOf: match.id,
        reasons: [
          `duplicate_of: ${match.id} (${how})`,
          ...(match.category !== decision.category
            ? [`incident_category: ${match.category}; this report read as ${decision.category ?? '?'}`]
            : []),
          ...decision.reasons,
        ],
      };
    }
    if (ctx.recordIncidents && opensIncident) await ctx.incidents.add(incident);
    return decision;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      ...decision,
      reasons: [...decision.reasons, `duplicate_check_failed: ${message.slice(0, 200)}`],
    };
  }
}
