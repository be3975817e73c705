import { type LatLon, distanceMeters } from '../place/geometry';
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
}

export interface DuplicatePolicy {
  /** Two points closer than this may be one incident. */
  readonly maxDistanceMeters: number;
  /** …when received within this many hours of each other. */
  readonly maxAgeHours: number;
  /** Reports without a point need this Jaccard text similarity and the same kelurahan. */
  readonly minTextSimilarity: number;
}

export const DEFAULT_DUPLICATE_POLICY: DuplicatePolicy = {
  maxDistanceMeters: 150,
  maxAgeHours: 48,
  minTextSimilarity: 0.5,
};

export interface DuplicateMatch {
  readonly id: string;
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

export function findDuplicateIn(
  candidates: Iterable<IncidentRecord & { readonly at: number }>,
  probe: IncidentRecord,
  policy: DuplicatePolicy,
): DuplicateMatch | undefined {
  const at = Date.parse(probe.receivedAt);
  if (!Number.isFinite(at)) return undefined;
  const maxMs = policy.maxAgeHours * 3_600_000;
  let best: { match: DuplicateMatch; rank: number } | undefined;
  for (const c of candidates) {
    if (c.id === probe.id || c.category !== probe.category) continue;
    const gap = Math.abs(at - c.at);
    if (gap > maxMs) continue;
    const minutesApart = Math.round(gap / 60_000);
    let match: DuplicateMatch | undefined;
    let rank = 0;
    if (probe.point && c.point) {
      const d = distanceMeters(probe.point, c.point);
      if (d <= policy.maxDistanceMeters) {
        match = { id: c.id, basis: 'point', distanceMeters: Math.round(d), minutesApart };
        // Nearer in space and time is the likelier master.
        rank = d / policy.maxDistanceMeters + gap / maxMs;
      }
    } else if (probe.kelurahanKode && probe.kelurahanKode === c.kelurahanKode) {
      const similarity = signatureSimilarity(probe.textSignature, c.textSignature);
      if (similarity >= policy.minTextSimilarity) {
        match = { id: c.id, basis: 'text', similarity: Math.round(similarity * 100) / 100, minutesApart };
        rank = 1 + (1 - similarity) + gap / maxMs;
      }
    }
    if (match && (!best || rank < best.rank)) best = { match, rank };
  }
  return best?.match;
}

/** A bounded in-process index: enough for one router instance and for offline evaluation. */
export class InMemoryIncidentIndex implements IncidentIndex {
  private readonly byCategory = new Map<string, Map<string, Stored>>();
  private size = 0;

  constructor(private readonly maxEntries = 50_000) {}

  async findDuplicate(probe: IncidentRecord, policy: DuplicatePolicy): Promise<DuplicateMatch | undefined> {
    const open = this.byCategory.get(probe.category);
    return open ? findDuplicateIn(open.values(), probe, policy) : undefined;
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
