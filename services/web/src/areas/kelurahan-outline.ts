import { loadKelurahanFeatures, type Position } from '@aduan/reference-data';

/** What the console needs to draw a report's point inside its kelurahan: the rings and their box. */
export interface KelurahanOutline {
  kode: string;
  nama: string;
  kecamatan: string;
  kota: string;
  /** `[lon, lat]` rings, outer rings and holes alike; the console draws them with the even-odd rule. */
  rings: Position[][];
  /** `[minLon, minLat, maxLon, maxLat]` */
  bbox: [number, number, number, number];
}

/** Kemendagri kelurahan codes look like `31.71.04.1002`. */
export const KELURAHAN_KODE = /^\d{2}\.\d{2}\.\d{2}\.\d{4}$/;

let byKode: Map<string, KelurahanOutline> | undefined;

function index(): Map<string, KelurahanOutline> {
  if (byKode) return byKode;
  byKode = new Map();
  for (const f of loadKelurahanFeatures()) {
    const polygons = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
    const rings = polygons.flatMap((p) => p.map((ring) => ring.map(([lon, lat]) => [lon, lat] as const)));
    const lons = rings.flat().map((p) => p[0]);
    const lats = rings.flat().map((p) => p[1]);
    byKode.set(f.properties.kode, {
      kode: f.properties.kode,
      nama: f.properties.nama,
      kecamatan: f.properties.nama_kec,
      kota: f.properties.nama_kab,
      rings,
      bbox: [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)],
    });
  }
  return byKode;
}

export function kelurahanOutline(kode: string): KelurahanOutline | undefined {
  return KELURAHAN_KODE.test(kode) ? index().get(kode) : undefined;
}
