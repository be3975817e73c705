import { kelurahanOutline } from './kelurahan-outline';

describe('kelurahanOutline', () => {
  it('gives the rings and bounding box of a known kelurahan', () => {
    const kenari = kelurahanOutline('31.71.04.1002');
    expect(kenari).toMatchObject({ nama: 'Kenari', kecamatan: 'Senen' });
    const [minLon, minLat, maxLon, maxLat] = kenari!.bbox;
    // Kenari lies just east of Jakarta's Monas, around 106.85 E, 6.19 S.
    expect(minLon).toBeGreaterThan(106.8);
    expect(maxLon).toBeLessThan(106.9);
    expect(minLat).toBeGreaterThan(-6.25);
    expect(maxLat).toBeLessThan(-6.15);
    expect(kenari!.rings[0]!.length).toBeGreaterThan(3);
  });

  it('knows nothing of malformed or unknown codes', () => {
    expect(kelurahanOutline('31.71.03.9999')).toBeUndefined();
    expect(kelurahanOutline('../../etc/passwd')).toBeUndefined();
    expect(kelurahanOutline('')).toBeUndefined();
  });
});
