/** Planar geometry on lon/lat degrees; fine at kelurahan scale (a few km) near the equator. */

export interface LatLon {
  readonly lat: number;
  readonly lon: number;
}

export interface BBox {
  readonly minLon: number;
  readonly minLat: number;
  readonly maxLon: number;
  readonly maxLat: number;
}

/** A ring as interleaved lon,lat pairs: compact and fast to scan. */
export type Ring = Float64Array;

/** One polygon: outer ring then holes. */
export interface PreparedPolygon {
  readonly rings: readonly Ring[];
  readonly bbox: BBox;
}

export function ringFrom(positions: readonly (readonly number[])[]): Ring {
  const ring = new Float64Array(positions.length * 2);
  positions.forEach((p, i) => {
    ring[i * 2] = p[0] ?? NaN;
    ring[i * 2 + 1] = p[1] ?? NaN;
  });
  return ring;
}

export function bboxOfRing(ring: Ring): BBox {
  let minLon = Infinity;
  let minLat = Infinity;
  let maxLon = -Infinity;
  let maxLat = -Infinity;
  for (let i = 0; i < ring.length; i += 2) {
    const lon = ring[i] ?? 0;
    const lat = ring[i + 1] ?? 0;
    if (lon < minLon) minLon = lon;
    if (lon > maxLon) maxLon = lon;
    if (lat < minLat) minLat = lat;
    if (lat > maxLat) maxLat = lat;
  }
  return { minLon, minLat, maxLon, maxLat };
}

export function preparePolygon(rings: readonly (readonly (readonly number[])[])[]): PreparedPolygon {
  const prepared = rings.map(ringFrom);
  const outer = prepared[0] ?? new Float64Array(0);
  return { rings: prepared, bbox: bboxOfRing(outer) };
}

export function bboxContains(b: BBox, p: LatLon): boolean {
  return p.lon >= b.minLon && p.lon <= b.maxLon && p.lat >= b.minLat && p.lat <= b.maxLat;
}

/** Even–odd ray casting; works whether or not the source closed its rings or wound them consistently. */
export function ringContains(ring: Ring, p: LatLon): boolean {
  let inside = false;
  const n = ring.length / 2;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const xi = ring[i * 2] ?? 0;
    const yi = ring[i * 2 + 1] ?? 0;
    const xj = ring[j * 2] ?? 0;
    const yj = ring[j * 2 + 1] ?? 0;
    if (yi > p.lat !== yj > p.lat && p.lon < ((xj - xi) * (p.lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export function polygonContains(polygon: PreparedPolygon, p: LatLon): boolean {
  if (!bboxContains(polygon.bbox, p)) return false;
  const [outer, ...holes] = polygon.rings;
  if (!outer || !ringContains(outer, p)) return false;
  return !holes.some((hole) => ringContains(hole, p));
}

const METERS_PER_DEG_LAT = 110_574;
const METERS_PER_DEG_LON_EQUATOR = 111_320;

/** Metres between two points (equirectangular: accurate to <0.1% over a few km). */
export function distanceMeters(a: LatLon, b: LatLon): number {
  const meanLat = ((a.lat + b.lat) / 2) * (Math.PI / 180);
  const dx = (b.lon - a.lon) * METERS_PER_DEG_LON_EQUATOR * Math.cos(meanLat);
  const dy = (b.lat - a.lat) * METERS_PER_DEG_LAT;
  return Math.sqrt(dx * dx + dy * dy);
}

/** Metres from a point to the nearest edge of a polygon (any ring). */
export function distanceToPolygonEdge(polygon: PreparedPolygon, p: LatLon): number {
  const kx = METERS_PER_DEG_LON_EQUATOR * Math.cos(p.lat * (Math.PI / 180));
  const ky = METERS_PER_DEG_LAT;
  let best = Infinity;
  for (const ring of polygon.rings) {
    const n = ring.length / 2;
    for (let i = 0, j = n - 1; i < n; j = i++) {
      const ax = ((ring[j * 2] ?? 0) - p.lon) * kx;
      const ay = ((ring[j * 2 + 1] ?? 0) - p.lat) * ky;
      const bx = ((ring[i * 2] ?? 0) - p.lon) * kx;
      const by = ((ring[i * 2 + 1] ?? 0) - p.lat) * ky;
      const dx = bx - ax;
      const dy = by - ay;
      const len2 = dx * dx + dy * dy;
      const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2));
      const cx = ax + t * dx;
      const cy = ay + t * dy;
      const d = Math.sqrt(cx * cx + cy * cy);
      if (d < best) best = d;
    }
  }
  return best;
}
