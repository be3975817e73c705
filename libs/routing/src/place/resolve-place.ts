import type { Token } from '../text/normalize';
import { checkCoordinates } from './coordinates';
import type { Gazetteer } from './gazetteer';
import type { LatLon } from './geometry';
import type { PointLocator } from './point-locator';
import { type NamedSite, type PlaceCandidate, resolveTextPlace } from './text-place';
import type { AreaRef, KelurahanRef, WilayahDirectory } from './wilayah-directory';

export interface PlaceDecision {
  readonly kelurahan?: KelurahanRef;
  readonly kecamatan?: AreaRef;
  readonly kota?: AreaRef;
  readonly confidence: number;
  readonly source: 'point' | 'text' | 'none';
  /** The validated (possibly corrected) GPS point. */
  readonly point?: LatLon;
  /** A usable point was given but lies in no DKI kelurahan. */
  readonly outsideJakarta: boolean;
  /** A kelurahan the text names, kept even when the point wins (for the officer). */
  readonly textKelurahanKode?: string;
  /** What in the text placed it ("landmark pasar senen", "kel. kramat"), for a text-only place. */
  readonly textEvidence?: string;
  readonly reasons: readonly string[];
  readonly candidates: readonly PlaceCandidate[];
  readonly maskedTokens: ReadonlySet<number>;
  /** A site the text names: litter and neglect there are the site's (Tempat Wisata, Fasilitas Olahraga). */
  readonly site?: NamedSite;
}

export interface PlaceServices {
  readonly locator: PointLocator;
  readonly gazetteer: Gazetteer;
  readonly directory: WilayahDirectory;
}

/** GPS within this many metres of an edge could belong to the neighbour. */
const NEAR_EDGE_METERS = 10;

/**
 * Point first (the labelling rule: the point wins even when the text names a neighbour),
 * text only when there is no usable point. A point outside every kelurahan is not forced
 * into the nearest one.
 */
export function resolvePlace(
  location: unknown,
  tokens: readonly Token[],
  services: PlaceServices,
): PlaceDecision {
  const { locator, gazetteer, directory } = services;
  const coords = checkCoordinates(location);
  const reasons = [...coords.reasons];
  const text = resolveTextPlace(gazetteer.findMentions(tokens), directory);
  // What the text says beside its place, whichever place wins.
  const fromText = {
    maskedTokens: text.maskedTokens,
    ...(text.site ? { site: text.site } : {}),
  };

  let point = coords.point;
  if (point) {
    let hit = locator.locate(point);
    if (!hit && point.lat > 0) {
      // A dropped minus sign is the commonest hand-typed GPS error; accept the fix only if it lands in DKI.
      const flipped = { lat: -point.lat, lon: point.lon };
      const flippedHit = locator.locate(flipped);
      if (flippedHit) {
        reasons.push(`coordinates_sign_corrected: latitude ${point.lat} read as ${flipped.lat}`);
        point = flipped;
        hit = flippedHit;
      }
    }
    if (hit) {
      const kelurahan = directory.kelurahan(hit.kode);
      if (kelurahan) {
        if (hit.alsoIn.length > 0) reasons.push(`point_on_overlap: also inside ${hit.alsoIn.join(', ')}`);
        const nearEdge = hit.edgeDistanceMeters < NEAR_EDGE_METERS;
        if (nearEdge)
          reasons.push(
            `point_near_boundary: ${Math.round(hit.edgeDistanceMeters)} m from the kelurahan edge`,
          );
        if (text.kelurahanKode && text.kelurahanKode !== hit.kode) {
          reasons.push(
            `place_text_disagrees: the text names ${directory.area(text.kelurahanKode)?.nama ?? text.kelurahanKode}; the point (${kelurahan.nama}) wins`,
          );
        }
        return {
          kelurahan,
          kecamatan: kelurahan.kecamatan,
          kota: kelurahan.kota,
          confidence: nearEdge ? 0.9 : 0.99,
          source: 'point',
          point,
          outsideJakarta: false,
          ...(text.kelurahanKode ? { textKelurahanKode: text.kelurahanKode } : {}),
          reasons,
          candidates: text.candidates,
          ...fromText,
        };
      }
    }
    const nearest = locator.nearest(point);
    const where = nearest
      ? `; nearest kelurahan ${directory.area(nearest.kode)?.nama ?? nearest.kode} at ${Math.round(nearest.distanceMeters)} m`
      : '';
    reasons.push(`point_outside_jakarta: (${point.lat}, ${point.lon}) lies in no DKI kelurahan${where}`);
    const candidates: PlaceCandidate[] = [...text.candidates];
    if (nearest && nearest.distanceMeters < 500 && !candidates.some((c) => c.kode === nearest.kode)) {
      candidates.push({
        kode: nearest.kode,
        nama: directory.area(nearest.kode)?.nama ?? nearest.kode,
        level: 'kelurahan',
        confidence: 0.3,
        source: `nearest to the point (${Math.round(nearest.distanceMeters)} m)`,
      });
    }
    return {
      confidence: 0,
      source: 'none',
      point,
      outsideJakarta: true,
      ...(text.kelurahanKode ? { textKelurahanKode: text.kelurahanKode } : {}),
      reasons,
      candidates,
      ...fromText,
    };
  }

  reasons.push(...text.reasons);
  if (text.kelurahanKode) {
    const kelurahan = directory.kelurahan(text.kelurahanKode);
    if (kelurahan) {
      reasons.push(`place_from_text: ${text.evidence ?? kelurahan.nama}`);
      return {
        kelurahan,
        kecamatan: kelurahan.kecamatan,
        kota: kelurahan.kota,
        confidence: text.confidence,
        source: 'text',
        outsideJakarta: false,
        textKelurahanKode: text.kelurahanKode,
        ...(text.evidence ? { textEvidence: text.evidence } : {}),
        reasons,
        candidates: text.candidates,
        ...fromText,
      };
    }
  }
  const kecamatan = text.kecamatanKode ? directory.area(text.kecamatanKode) : undefined;
  const kota = text.kotaKode ? directory.area(text.kotaKode) : undefined;
  return {
    ...(kecamatan ? { kecamatan } : {}),
    ...(kota ? { kota } : {}),
    confidence: 0,
    source: 'none',
    outsideJakarta: false,
    reasons,
    candidates: text.candidates,
    ...fromText,
  };
}
