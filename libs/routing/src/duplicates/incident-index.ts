import { type LatLon, distanceMeters } from '../place/geometry';
import { compatibleCategories, incidentFamily } from './category-family';
import { signatureSimilarity } from './text-signature';

/** An open report that later reports may duplicate. */
export interface IncidentRecord {
  readonly id: string;
  readonly category: string;
  readonly kelurahanKode?: string;
  readonly point?: LatLon;
  /** ISO-8601 with offset. */
  readonly receivedAt: string;
  /** Content words, see `textSignature`. */
  readonly textSignature: readonly string[];
  /** The landmark or street the text placed it by, when there was no point ("landmark pasar senen"). */
  readonly placeKey?: string;
  /** How sure the category was (0…1). */
  readonly categoryConfidence?: number;
}

export interface DuplicatePolicy {
  /** Two points closer than this may be one incident. */
  readonly maxDistanceMeters: number;
  /** …when received within this many hours of each other. */
  readonly maxAgeHours: number;
  /** Reports without a point need this Jaccard text similarity and the same kelurahan. */
  readonly minTextSimilarity: number;
  /** …or this much when both name the same landmark or street. */
  readonly minTextSimilaritySamePlace: number;
  /** Match categories of one family (flood / drain / burst main), not only the same category. */
  readonly categoryFamilies: boolean;
}

export const DEFAULT_DUPLICATE_POLICY: DuplicatePolicy = {
  maxDistanceMeters: 150,
  maxAgeHours: 48,
  minTextSimilarity: 0.5,
  minTextSimilaritySamePlace: 0.2,
  categoryFamilies: true,
};

/** Within this many hours of the incident a text-only report needs less word overlap. */
const RECENT_HOURS = 6;

/** Within a few hours, reports of one category sharing this many content words are one incident. */
const MIN_SHARED_WORDS_RECENT = 3;

/**
 * Within the whole window, reports of one category in one kelurahan sharing this many content
 * words are one incident however long one of them is: a letter and a tweet about the same lot
 * overlap little as sets, but name the same things.
 */
const MIN_SHARED_WORDS_ANY_TIME = 5;

/** Content words two reports under different categories of a family must share. */
const MIN_SHARED_WORDS = 2;

function sharedWords(a: IncidentRecord, b: IncidentRecord): number {
  const set = new Set(b.textSignature);
  return new Set(a.textSignature.filter((w) => set.has(w))).size;
}

/** Categories whose open incidents a probe is compared with. */
export function candidateCategories(category: string, policy: DuplicatePolicy): string[] {
  return policy.categoryFamilies ? incidentFamily(category) : [category];
}

export interface DuplicateMatch {
  /** The incident's first report. */
  readonly id: string;
  /** The incident's category: the duplicate is handled with it. */
  readonly category: string;
  /** How sure the incident's category was, when known. */
  readonly categoryConfidence?: number;
  readonly basis: 'point' | 'text';
  readonly distanceMeters?: number;
  readonly similarity?: number;
  readonly minutesApart: number;
}

/**
 * Where open incidents live. Async so that the router service can back it by Postgres
 * (e.g. `ST_DWithin` on a geography column plus a time window, filtered by category and
 * state); the in-memory version below serves tests, the evaluation and single instances.
 */
export interface IncidentIndex {
  findDuplicate(probe: IncidentRecord, policy: DuplicatePolicy): Promise<DuplicateMatch | undefined>;
  add(incident: IncidentRecord): Promise<void>;
  /** The incident is resolved or rejected: later reports start a new incident. */
  close(id: string): Promise<void>;
}

interface Stored extends IncidentRecord {
  readonly at: number;
}

/**
 * The open incident a probe repeats: within the distance (points) or in the same kelurahan
 * with similar words (text), within the time window, in a compatible category. When several
 * match, the earliest wins: a duplicate points to the incident's first report, even when a
 * later report of it was missed as a duplicate and opened its own incident.
 */
export function findDuplicateIn(
  candidates: Iterable<IncidentRecord & { readonly at: number }>,
  probe: IncidentRecord,
  policy: DuplicatePolicy,
): DuplicateMatch | undefined {
  const at = Date.parse(probe.receivedAt);
  if (!Number.isFinite(at)) return undefined;
  const maxMs = policy.maxAgeHours * 3_600_000;
  let best: { match: DuplicateMatch; at: number } | undefined;
  for (const c of candidates) {
    if (c.id === probe.id) continue;
    const sameCategory = c.category === probe.category;
    if (!sameCategory && !(policy.categoryFamilies && compatibleCategories(c.category, probe.category)))
      continue;
    const gap = Math.abs(at - c.at);
    if (gap > maxMs) continue;
    const minutesApart = Math.round(gap / 60_000);
    let match: DuplicateMatch | undefined;
    if (probe.point && c.point) {
      const d = distanceMeters(probe.point, c.point);
      // Another category of the family must also share words ("pohon", "jalan"): a blocked
      // drain and a rubbish heap at the same corner are two problems.
      if (d <= policy.maxDistanceMeters && (sameCategory || sharedWords(probe, c) >= MIN_SHARED_WORDS)) {
        match = {
          id: c.id,
          category: c.category,
          ...(c.categoryConfidence !== undefined ? { categoryConfidence: c.categoryConfidence } : {}),
          basis: 'point',
          distanceMeters: Math.round(d),
          minutesApart,
        };
      }
    } else if (probe.kelurahanKode && probe.kelurahanKode === c.kelurahanKode) {
      const similarity = signatureSimilarity(probe.textSignature, c.textSignature);
      const samePlace = probe.placeKey !== undefined && probe.placeKey === c.placeKey;
      // Reports of one incident come in a burst: within a few hours, by the same landmark, or
      // sharing several words, less overlap suffices.
      const recent = gap <= RECENT_HOURS * 3_600_000;
      const shared = sharedWords(probe, c);
      const needed =
        samePlace || recent
          ? Math.min(policy.minTextSimilarity, policy.minTextSimilaritySamePlace)
          : policy.minTextSimilarity;
      const close =
        similarity >= needed ||
        (recent && shared >= MIN_SHARED_WORDS_RECENT) ||
        (sameCategory && shared >= MIN_SHARED_WORDS_ANY_TIME);
      // Another category of the family needs words in common, not only a kelurahan.
      if (close && (sameCategory || shared >= MIN_SHARED_WORDS + 1)) {
        match = {
          id: c.id,
          category: c.category,
          ...(c.categoryConfidence !== undefined ? { categoryConfidence: c.categoryConfidence } : {}),
          basis: 'text',
          similarity: Math.round(similarity * 100) / 100,
          minutesApart,
        };
      }
    }
    if (match && (!best || c.at < best.at || (c.at === best.at && c.id < best.match.id)))
      best = { match, at: c.at };
  }
  return best?.match;
}

/** A bounded in-process index: enough for one router instance and for offline evaluation. */
export class InMemoryIncidentIndex implements IncidentIndex {
  private readonly byCategory = new Map<string, Map<string, Stored>>();
  private size = 0;

  constructor(private readonly maxEntries = 50_000) {}

  async findDuplicate(probe: IncidentRecord, policy: DuplicatePolicy): Promise<DuplicateMatch | undefined> {
    const open: Stored[] = [];
    for (const category of candidateCategories(probe.category, policy)) {
      const bucket = this.byCategory.get(category);
      if (bucket) open.push(...bucket.values());
    }
    return findDuplicateIn(open, probe, policy);
  }

  async add(incident: IncidentRecord): Promise<void> {
    const at = Date.parse(incident.receivedAt);
    if (!Number.isFinite(at)) return;
    let bucket = this.byCategory.get(incident.category);
    if (!bucket) {
      bucket = new Map();
      this.byCategory.set(incident.category, bucket);
    }
    if (!bucket.has(incident.id)) this.size++;
    bucket.set(incident.id, { ...incident, at });
    if (this.size > this.maxEntries) this.evictOldest();
  }

  async close(id: string): Promise<void> {
    for (const bucket of this.byCategory.values()) {
      if (bucket.delete(id)) this.size--;
    }
  }

  get openCount(): number {
    return this.size;
  }

  private evictOldest(): void {
    let oldest: { bucket: Map<string, Stored>; id: string; at: number } | undefined;
    for (const bucket of this.byCategory.values()) {
      for (const s of bucket.values())
        if (!oldest || s.at < oldest.at) oldest = { bucket, id: s.id, at: s.at };
    }
    if (oldest) {
      oldest.bucket.delete(oldest.id);
      this.size--;
    }
  }
}
