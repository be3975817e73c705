import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { referenceDataDir } from './data-dir';
import { expectArray, expectNumber, expectString, isRecord, stringArray } from './guards';
import type {
  AreaFeature,
  AreaProperties,
  BoundaryFeature,
  BoundaryGeometry,
  CrmCategory,
  KelurahanFeature,
  KelurahanProperties,
  Opd,
  WilayahLevel,
  WilayahRow,
} from './types';

const cache = new Map<string, unknown>();

function cached<T>(key: string, load: () => T): T {
  if (cache.has(key)) return cache.get(key) as T;
  const value = load();
  cache.set(key, value);
  return value;
}

/** Drops every cached file, e.g. after `setReferenceDataDir()` in tests. */
export function clearReferenceDataCache(): void {
  cache.clear();
}

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(join(referenceDataDir(), file), 'utf8')) as unknown;
}

function geometryOf(value: unknown, what: string): BoundaryGeometry {
  if (!isRecord(value)) throw new Error(`@aduan/reference-data: ${what}.geometry missing`);
  const type = value['type'];
  if (type !== 'Polygon' && type !== 'MultiPolygon') {
    throw new Error(`@aduan/reference-data: ${what}.geometry.type ${String(type)} unsupported`);
  }
  // Coordinates are trusted after the type check: they are only ever read as numbers by the locator.
  return value as unknown as BoundaryGeometry;
}

function featuresOf<P>(
  file: string,
  props: (raw: Record<string, unknown>, what: string) => P,
): BoundaryFeature<P>[] {
  const root = readJson(file);
  if (!isRecord(root)) throw new Error(`@aduan/reference-data: ${file} is not a FeatureCollection`);
  return expectArray(root['features'], `${file}.features`).map((raw, i) => {
    const what = `${file}.features[${i}]`;
    if (!isRecord(raw) || !isRecord(raw['properties']))
      throw new Error(`@aduan/reference-data: ${what} malformed`);
    const properties = props(raw['properties'], what);
    const id = typeof raw['id'] === 'string' ? raw['id'] : expectString(raw['properties'], 'kode', what);
    return { type: 'Feature', id, properties, geometry: geometryOf(raw['geometry'], what) };
  });
}

/** All 267 DKI kelurahan polygons (Kemendagri codes). */
export function loadKelurahanFeatures(): readonly KelurahanFeature[] {
  return cached('kelurahan', () =>
    featuresOf<KelurahanProperties>('boundaries-kelurahan.geojson', (p, what) => ({
      level: 'kelurahan',
      kode: expectString(p, 'kode', what),
      kode_compact: expectString(p, 'kode_compact', what),
      nama: expectString(p, 'nama', what),
      kode_kec: expectString(p, 'kode_kec', what),
      nama_kec: expectString(p, 'nama_kec', what),
      kode_kab: expectString(p, 'kode_kab', what),
      nama_kab: expectString(p, 'nama_kab', what),
      centroid_lat: expectNumber(p, 'centroid_lat', what),
      centroid_lng: expectNumber(p, 'centroid_lng', what),
    })),
  );
}

function areaProps(p: Record<string, unknown>, what: string): AreaProperties {
  return {
    level: typeof p['level'] === 'string' ? p['level'] : 'unknown',
    kode: expectString(p, 'kode', what),
    nama: expectString(p, 'nama', what),
  };
}

/** Coarser than the kelurahan layer: prefer deriving kecamatan from the kelurahan code. */
export function loadKecamatanFeatures(): readonly AreaFeature[] {
  return cached('kecamatan', () => featuresOf('boundaries-kecamatan.geojson', areaProps));
}

export function loadKotaFeatures(): readonly AreaFeature[] {
  return cached('kota', () => featuresOf('boundaries-kota.geojson', areaProps));
}

const LEVELS: readonly WilayahLevel[] = ['provinsi', 'kabupaten_kota', 'kecamatan', 'kelurahan'];

/** Province, kota, kecamatan and kelurahan rows without geometry (318 rows). */
export function loadWilayah(): readonly WilayahRow[] {
  return cached('wilayah', () =>
    expectArray(readJson('wilayah.json'), 'wilayah.json').map((raw, i) => {
      const what = `wilayah.json[${i}]`;
      if (!isRecord(raw)) throw new Error(`@aduan/reference-data: ${what} malformed`);
      const level = expectString(raw, 'level', what);
      const known = LEVELS.find((l) => l === level);
      if (!known) throw new Error(`@aduan/reference-data: ${what}.level ${level} unknown`);
      const parent = raw['parent_kode'];
      return {
        kode: expectString(raw, 'kode', what),
        nama: expectString(raw, 'nama', what),
        level: known,
        parent_kode: typeof parent === 'string' ? parent : null,
        centroid_lat: expectNumber(raw, 'centroid_lat', what),
        centroid_lng: expectNumber(raw, 'centroid_lng', what),
      };
    }),
  );
}

export function loadOpds(): readonly Opd[] {
  return cached('opd', () =>
    expectArray(readJson('opd.json'), 'opd.json').map((raw, i) => {
      const what = `opd.json[${i}]`;
      if (!isRecord(raw)) throw new Error(`@aduan/reference-data: ${what} malformed`);
      return {
        code: expectString(raw, 'code', what),
        name: expectString(raw, 'name', what),
        name_en: typeof raw['name_en'] === 'string' ? raw['name_en'] : '',
        type: expectString(raw, 'type', what),
        handles: stringArray(raw['handles'], `${what}.handles`),
        handles_secondary: stringArray(raw['handles_secondary'], `${what}.handles_secondary`),
      };
    }),
  );
}

/** The 125 JAKI/CRM category names with their editorial `route_to` (primary first). */
export function loadCategories(): readonly CrmCategory[] {
  return cached('categories', () => {
    const root = readJson('crm-categories.json');
    if (!isRecord(root)) throw new Error('@aduan/reference-data: crm-categories.json malformed');
    return expectArray(root['categories'], 'crm-categories.json.categories').map((raw, i) => {
      const what = `crm-categories.json.categories[${i}]`;
      if (!isRecord(raw)) throw new Error(`@aduan/reference-data: ${what} malformed`);
      const confidence = raw['routing_confidence'];
      const category: CrmCategory = {
        name: expectString(raw, 'name', what),
        route_to: stringArray(raw['route_to'], `${what}.route_to`),
        ...(typeof confidence === 'string' ? { routing_confidence: confidence } : {}),
      };
      return category;
    });
  });
}

export type { AreaFeature, KelurahanFeature };
