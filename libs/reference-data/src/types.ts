/** A `[lon, lat]` position, WGS84, as GeoJSON orders it. */
export type Position = readonly [number, number];
/** Outer ring first, then holes. */
export type PolygonCoordinates = readonly (readonly Position[])[];

export type BoundaryGeometry =
  | { readonly type: 'Polygon'; readonly coordinates: PolygonCoordinates }
  | { readonly type: 'MultiPolygon'; readonly coordinates: readonly PolygonCoordinates[] };

export type WilayahLevel = 'provinsi' | 'kabupaten_kota' | 'kecamatan' | 'kelurahan';

export interface KelurahanProperties {
  readonly level: 'kelurahan';
  /** Dotted Kemendagri code, e.g. `31.74.07.1004`. */
  readonly kode: string;
  readonly kode_compact: string;
  readonly nama: string;
  readonly kode_kec: string;
  readonly nama_kec: string;
  readonly kode_kab: string;
  readonly nama_kab: string;
  readonly centroid_lat: number;
  readonly centroid_lng: number;
}

export interface BoundaryFeature<P> {
  readonly type: 'Feature';
  readonly id: string;
  readonly properties: P;
  readonly geometry: BoundaryGeometry;
}

export type KelurahanFeature = BoundaryFeature<KelurahanProperties>;

/** Kecamatan and kota layers share the basic fields; they are coarser than kelurahan. */
export interface AreaProperties {
  readonly level: string;
  readonly kode: string;
  readonly nama: string;
}
export type AreaFeature = BoundaryFeature<AreaProperties>;

export interface WilayahRow {
  readonly kode: string;
  readonly nama: string;
  readonly level: WilayahLevel;
  readonly parent_kode: string | null;
  readonly centroid_lat: number;
  readonly centroid_lng: number;
}

export type OpdType =
  'dinas' | 'badan' | 'satuan' | 'biro' | 'wilayah' | 'bumd' | 'external' | 'inspektorat' | 'sekretariat';

export interface Opd {
  /** Project-local abbreviation (not an official registry code). */
  readonly code: string;
  readonly name: string;
  readonly name_en: string;
  readonly type: string;
  readonly handles: readonly string[];
  readonly handles_secondary: readonly string[];
}

export interface CrmCategory {
  /** Exact JAKI/CRM category name. */
  readonly name: string;
  /** OPD codes, primary first (editorial mapping, see NOTICE.md). */
  readonly route_to: readonly string[];
  readonly routing_confidence?: string;
}
