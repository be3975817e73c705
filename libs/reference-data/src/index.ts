export type {
  AreaFeature,
  AreaProperties,
  BoundaryFeature,
  BoundaryGeometry,
  CrmCategory,
  KelurahanFeature,
  KelurahanProperties,
  Opd,
  OpdType,
  PolygonCoordinates,
  Position,
  WilayahLevel,
  WilayahRow,
} from './types';
export { referenceDataDir, setReferenceDataDir } from './data-dir';
export {
  clearReferenceDataCache,
  loadCategories,
  loadKecamatanFeatures,
  loadKelurahanFeatures,
  loadKotaFeatures,
  loadOpds,
  loadWilayah,
} from './loaders';
