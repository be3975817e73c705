import { loadRoutingKnowledge } from '../knowledge';
import { normalizeText } from '../text/normalize';
import { resolvePlace } from './resolve-place';

describe('resolvePlace', () => {
  const k = loadRoutingKnowledge();
  const resolve = (location: unknown, text = '') => resolvePlace(location, normalizeText(text).tokens, k);

  it('derives kecamatan and kota from the kelurahan code', () => {
    const p = resolve({ lat: -6.1754, lon: 106.8272 });
    expect(p.kelurahan).toMatchObject({ kode: '31.71.01.1001', nama: 'Gambir' });
    expect(p.kecamatan).toEqual({ kode: '31.71.01', nama: 'Gambir' });
    expect(p.kota).toEqual({ kode: '31.71', nama: 'Kota Administrasi Jakarta Pusat' });
    expect(p.source).toBe('point');
  });

  it('lets the point win over a neighbouring kelurahan named in the text, and says so', () => {
    const p = resolve({ lat: -6.333002, lon: 106.83223 }, 'Ini di wilayah Kel. Srengseng Sawah.');
    expect(p.kelurahan?.kode).toBe('31.74.09.1001');
    expect(p.reasons.some((r) => r.startsWith('place_text_disagrees'))).toBe(true);
  });

  it('places a report on the way into a landmark there, but not one heading towards a kelurahan', () => {
    expect(resolve(undefined, 'jalan menuju Masjid Luar Batang kerendem rob').kelurahan?.kode).toBe(
      '31.72.01.1001',
    );
    expect(resolve(undefined, 'macet parah arah Masjid Luar Batang').kelurahan).toBeUndefined();
    expect(resolve(undefined, 'jalan menuju Cililitan rusak parah').kelurahan).toBeUndefined();
  });

  it("reads a number in a kelurahan name written as a digit, and keeps a landmark's digits", () => {
    expect(resolve(undefined, 'got mampet, lokasi Jembatan 5, Tambora').kelurahan?.nama).toBe(
      'Jembatan Lima',
    );
    expect(resolve(undefined, 'pohon miring depan gerbang SMAN 1 Jakarta').kelurahan?.kode).toBe(
      '31.71.02.1001',
    );
  });

  it('reads a misspelt kelurahan when its own kecamatan follows, and Cp. as Cipinang where Cempaka is none', () => {
    expect(resolve(undefined, 'Cililtan, Kramat Jati: mobil parkir di trotoar').kelurahan?.nama).toBe(
      'Cililitan',
    );
    expect(resolve(undefined, 'Cililtan: mobil parkir di trotoar').kelurahan).toBeUndefined();
    expect(resolve(undefined, 'Kel. Cp. Muara, Kec. Jatinegara ada limbah').kelurahan?.nama).toBe(
      'Cipinang Muara',
    );
    expect(resolve(undefined, 'Kel. Cp. Putih Barat lampu mati').kelurahan?.nama).toBe('Cempaka Putih Barat');
    // Two words with the second letter dropped, no marker.
    expect(resolve(undefined, 'PJU mati 2 minggu. Ptukangan utara RW 05').kelurahan?.nama).toBe(
      'Petukangan Utara',
    );
  });

  it('corrects swapped coordinates and notes it', () => {
    const p = resolve({ lat: 106.8272, lon: -6.1754 });
    expect(p.kelurahan?.kode).toBe('31.71.01.1001');
    expect(p.reasons[0]).toMatch(/^coordinates_swapped/);
  });

  it('corrects a dropped minus sign only when that lands in DKI', () => {
    const p = resolve({ lat: 6.1754, lon: 106.8272 });
    expect(p.kelurahan?.kode).toBe('31.71.01.1001');
    expect(p.reasons.some((r) => r.startsWith('coordinates_sign_corrected'))).toBe(true);
  });

  it('marks a point outside DKI without forcing it and ignores the text place', () => {
    const p = resolve({ lat: -6.3905, lon: 106.8213 }, 'Kel. Gambir');
    expect(p.kelurahan).toBeUndefined();
    expect(p.outsideJakarta).toBe(true);
    expect(p.reasons.some((r) => r.startsWith('point_outside_jakarta'))).toBe(true);
  });

  it('falls back to the text when the coordinates are unusable', () => {
    const p = resolve({ lat: 'abc', lon: null }, 'Kel Rawasari');
    expect(p.kelurahan?.kode).toBe('31.71.05.1003');
    expect(p.source).toBe('text');
    expect(p.reasons[0]).toMatch(/^coordinates_invalid/);
  });
});
