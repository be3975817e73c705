import { loadKelurahanFeatures } from '@aduan/reference-data';
import { PointLocator } from './point-locator';

describe('PointLocator', () => {
  const locator = new PointLocator(loadKelurahanFeatures());

  it.each([
    ['Monas', -6.1754, 106.8272, '31.71.01.1001'],
    ['Blok M', -6.2443, 106.8003, '31.74.07.1001'],
    ['Taman Fatahillah', -6.1352, 106.8133, '31.73.03.1008'],
    ['Halim', -6.2666, 106.891, '31.75.08.1004'],
    ['Pulau Pramuka', -5.745263, 106.6131, '31.01.01.1001'],
  ])('puts %s in its kelurahan', (_name, lat, lon, kode) => {
    expect(locator.locate({ lat, lon })?.kode).toBe(kode);
  });

  it('does not force points in the sea or outside DKI into a kelurahan', () => {
    expect(locator.locate({ lat: -6.3905, lon: 106.8213 })).toBeUndefined(); // Depok
    expect(locator.locate({ lat: -6.05, lon: 106.85 })).toBeUndefined(); // Jakarta Bay
    expect(locator.locate({ lat: 51.5, lon: -0.12 })).toBeUndefined();
  });

  it('reports how far a point is from the edge and the nearest kelurahan of an outside point', () => {
    const hit = locator.locate({ lat: -6.1754, lon: 106.8272 });
    expect(hit?.edgeDistanceMeters).toBeGreaterThan(100);
    const near = locator.nearest({ lat: -6.3905, lon: 106.8213 });
    expect(near?.kode.startsWith('31.7')).toBe(true);
    expect(near?.distanceMeters).toBeGreaterThan(0);
  });
});
