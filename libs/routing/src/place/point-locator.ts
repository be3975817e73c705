import type { KelurahanFeature } from '@aduan/reference-data';
import { GridIndex } from './spatial-index';
import {
  type BBox,
  type LatLon,
  type PreparedPolygon,
  distanceToPolygonEdge,
  polygonContains,
  preparePolygon,
} from './geometry';

interface IndexedPart {
  readonly kode: string;
  readonly polygon: PreparedPolygon;
}

export interface PointHit {
  readonly kode: string;
  /** Metres to the kelurahan's nearest edge: small values mean GPS error could matter. */
  readonly edgeDistanceMeters: number;
  /** Other kelurahan whose (simplified) polygons also contain the point. */
  readonly alsoIn: readonly string[];
}

export interface NearestKelurahan {
  readonly kode: string;
  readonly distanceMeters: number;
}

const CELL_DEG = 0.01;

/** Point → kelurahan over the official polygons, through a grid of polygon-part boxes. */
export class PointLocator {
  private readonly grid: GridIndex<IndexedPart>;
  readonly extent: BBox;

  constructor(features: readonly KelurahanFeature[]) {
    const parts: IndexedPart[] = [];
    for (const f of features) {
      const polygons = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
      for (const rings of polygons) parts.push({ kode: f.properties.kode, polygon: preparePolygon(rings) });
    }
    this.extent = parts.reduce<BBox>(
      (acc, p) => ({
        minLon: Math.min(acc.minLon, p.polygon.bbox.minLon),
        minLat: Math.min(acc.minLat, p.polygon.bbox.minLat),
        maxLon: Math.max(acc.maxLon, p.polygon.bbox.maxLon),
        maxLat: Math.max(acc.maxLat, p.polygon.bbox.maxLat),
      }),
      { minLon: Infinity, minLat: Infinity, maxLon: -Infinity, maxLat: -Infinity },
    );
    this.grid = new GridIndex<IndexedPart>(this.extent, CELL_DEG);
    for (const part of parts) this.grid.insert(part.polygon.bbox, part);
  }

  locate(p: LatLon): PointHit | undefined {
    const hits: { kode: string; edge: number }[] = [];
    for (const part of this.grid.query(p)) {
      if (polygonContains(part.polygon, p) && !hits.some((h) => h.kode === part.kode)) {
        hits.push({ kode: part.kode, edge: distanceToPolygonEdge(part.polygon, p) });
      }
    }
    if (hits.length === 0) return undefined;
    // The simplified polygons overlap in rare slivers: the deeper containment is the better guess.
    hits.sort((a, b) => b.edge - a.edge || a.kode.localeCompare(b.kode));
    const [best, ...rest] = hits;
    if (!best) return undefined;
    return { kode: best.kode, edgeDistanceMeters: best.edge, alsoIn: rest.map((h) => h.kode) };
  }

  /** Closest kelurahan edge within ~3 km, for points in the sea or just outside DKI. */
  nearest(p: LatLon): NearestKelurahan | undefined {
    let best: NearestKelurahan | undefined;
    for (const part of this.grid.queryAround(p, 3)) {
      const d = distanceToPolygonEdge(part.polygon, p);
      if (!best || d < best.distanceMeters) best = { kode: part.kode, distanceMeters: d };
    }
    return best;
  }
}
