import { loadCategories, loadKelurahanFeatures, loadOpds, loadWilayah } from './index';

describe('reference-data loaders', () => {
  it('loads every DKI kelurahan polygon once and caches it', () => {
    const first = loadKelurahanFeatures();
    expect(first).toHaveLength(267);
    expect(loadKelurahanFeatures()).toBe(first);
    const gambir = first.find((f) => f.properties.kode === '31.71.01.1001');
    expect(gambir?.properties.nama).toBe('Gambir');
    expect(['Polygon', 'MultiPolygon']).toContain(gambir?.geometry.type);
  });

  it('loads wilayah rows at every level', () => {
    const rows = loadWilayah();
    expect(rows).toHaveLength(318);
    expect(rows.filter((r) => r.level === 'kecamatan')).toHaveLength(44);
    expect(rows.filter((r) => r.level === 'kelurahan')).toHaveLength(267);
  });

  it('loads OPDs and categories whose primary route is a known OPD code', () => {
    const codes = new Set(loadOpds().map((o) => o.code));
    const categories = loadCategories();
    expect(categories).toHaveLength(125);
    for (const c of categories) {
      expect(c.route_to.length).toBeGreaterThan(0);
      expect(codes.has(c.route_to[0] ?? '')).toBe(true);
    }
  });
});
