import type { BBox, LatLon } from './geometry';

/**
 * A uniform grid over bounding boxes. Jakarta's kelurahan are a few km across and evenly
 * spread, so a ~1 km grid gives 1–4 candidates per cell: simpler than an R-tree and as fast.
 */
export class GridIndex<T> {
  private readonly cells = new Map<number, T[]>();
  private readonly cols: number;

  constructor(
    private readonly extent: BBox,
    private readonly cellDeg: number,
  ) {
    this.cols = Math.max(1, Math.ceil((extent.maxLon - extent.minLon) / cellDeg) + 1);
  }

  private col(lon: number): number {
    return Math.floor((lon - this.extent.minLon) / this.cellDeg);
  }

  private row(lat: number): number {
    return Math.floor((lat - this.extent.minLat) / this.cellDeg);
  }

  insert(bbox: BBox, item: T): void {
    const c0 = Math.max(0, this.col(bbox.minLon));
    const c1 = this.col(bbox.maxLon);
    const r0 = Math.max(0, this.row(bbox.minLat));
    const r1 = this.row(bbox.maxLat);
    for (let r = r0; r <= r1; r++) {
      for (let c = c0; c <= Math.min(c1, this.cols - 1); c++) {
        const key = r * this.cols + c;
        const list = this.cells.get(key);
        if (list) list.push(item);
        else this.cells.set(key, [item]);
      }
    }
  }

  /** Items whose box may contain the point. */
  query(p: LatLon): readonly T[] {
    const c = this.col(p.lon);
    const r = this.row(p.lat);
    if (c < 0 || r < 0 || c >= this.cols) return [];
    return this.cells.get(r * this.cols + c) ?? [];
  }

  /** Items in the cells within `radiusCells` of the point, de-duplicated. */
  queryAround(p: LatLon, radiusCells: number): T[] {
    const c = this.col(p.lon);
    const r = this.row(p.lat);
    const seen = new Set<T>();
    for (let dr = -radiusCells; dr <= radiusCells; dr++) {
      for (let dc = -radiusCells; dc <= radiusCells; dc++) {
        const cc = c + dc;
        const rr = r + dr;
        if (cc < 0 || rr < 0 || cc >= this.cols) continue;
        for (const item of this.cells.get(rr * this.cols + cc) ?? []) seen.add(item);
      }
    }
    return [...seen];
  }
}
