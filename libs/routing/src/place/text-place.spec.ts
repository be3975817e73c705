import { loadWilayah } from '@aduan/reference-data';
import { loadRoutingKnowledge } from '../knowledge';
import { normalizeText } from '../text/normalize';
import { resolveTextPlace } from './text-place';
import { WilayahDirectory } from './wilayah-directory';

describe('text place (gazetteer + resolution)', () => {
  const { gazetteer } = loadRoutingKnowledge();
  const directory = new WilayahDirectory(loadWilayah());
  const place = (text: string) =>
    resolveTextPlace(gazetteer.findMentions(normalizeText(text).tokens), directory);

  it('finds a kelurahan after kel./kelurahan, tolerant of case, spacing and typos', () => {
    expect(place('Air PAM mati. Kel Rawasari RT 3/RW 2').kelurahanKode).toBe('31.71.05.1003');
    expect(place('air pam ga ngalir dr subuh, kel. cempaka puti barat rt 011').kelurahanKode).toBe(
      '31.71.05.1002',
    );
    expect(place('wilayah Kelurahan Kramat Jati').kelurahanKode).toBe('31.75.04.1001');
    expect(place('Lokasi KELURAHAN PALMERIAM').kelurahanKode).toBe('31.75.01.1004');
  });

  it.each([
    ['got mampet, Kel. Tj. Priok', '31.72.02.1001'],
    ['sampah numpuk RW 04 Kel. Kb. Jeruk', '31.73.05.1001'],
    ['lampu mati Kel. Pd. Labu', '31.74.06.1003'],
    ['PKL di Kel. Grogol Utr', '31.74.05.1004'],
    ['jalan rusak Kel. Mangga Dua Sel.', '31.71.02.1005'],
    ['jalan bolong Kel. Kby. Lama Utara', '31.74.05.1001'],
    ['dermaga rusak, Kel. P. Panggang', '31.01.01.1001'],
    ['banjir Kel. Klp. Gading Barat', '31.72.06.1003'],
    ['got mampet Kel. Pnjaringan (a dropped second letter)', '31.72.01.1001'],
  ])('reads abbreviated words of a kelurahan name: %s', (text, kode) => {
    expect(place(text).kelurahanKode).toBe(kode);
  });

  it('accepts an unmarked, distinctive kelurahan name', () => {
    expect(place('banjir di RT 08 RW 03 Bukit Duri').kelurahanKode).toBe('31.74.01.1005');
  });

  it('reads names that are also kecamatan names as kelurahan only when the text makes it clear', () => {
    expect(place('Kelurahan Jatinegara, Kecamatan Cakung').kelurahanKode).toBe('31.75.06.1001');
    expect(place('banjir lagi di Jatinegara').kelurahanKode).toBeUndefined();
    const onlyKec = place('jalan rusak di Kebayoran Baru');
    expect(onlyKec.kelurahanKode).toBeUndefined();
    expect(onlyKec.kecamatanKode).toBe('31.74.07');
    expect(onlyKec.reasons[0]).toMatch(/^only_kecamatan_named/);
  });

  it('uses certain landmarks and streets, and never boundary landmarks, facilities or headings', () => {
    expect(place('Huge pothole on Jl. Kemang Raya near the McD').kelurahanKode).toBe('31.74.03.1002');
    expect(place('Pelelangan Ikan Muara Angke atapnya bocor').kelurahanKode).toBe('31.72.01.1005');
    expect(place('tembok di sekitar Taman Fatahillah dicoret').kelurahanKode).toBe('31.73.03.1008');
    expect(place('pohon tumbang depan Stasiun Tebet arah Manggarai').kelurahanKode).toBeUndefined();
    expect(place('sampah dekat stasiun jatinegara').kelurahanKode).toBeUndefined();
    expect(place('PKL di kolong flyover Pasar Rebo').kelurahanKode).toBeUndefined();
  });

  it('reads "rw" before a name as Rawa, and before a number as a neighbourhood unit', () => {
    expect(place('tutup got pecah di dpn gg 3 rw badak utara').kelurahanKode).toBe('31.72.03.1004');
    expect(place('got mampet di RW 05, Koja').kelurahanKode).toBeUndefined();
  });

  it("leaves the writer's home when the matter is at an office named by its kota", () => {
    expect(
      place(
        'Saya warga Kel. Cijantung, Pasar Rebo, peserta pelatihan menjahit di PPKD Jakarta Timur, dihentikan',
      ).kelurahanKode,
    ).toBeUndefined();
    expect(
      place('Saya warga Kel. Cijantung, Pasar Rebo, Jakarta Timur. Got depan rumah mampet').kelurahanKode,
    ).toBe('31.75.05.1003');
  });

  it('places neither end of a bus route, nor a station by its platform', () => {
    expect(place('Mikrotrans rute Kampung Melayu–Pulo Gadung jarang lewat').kelurahanKode).toBeUndefined();
    expect(place('penumpang numpuk di peron Manggarai').kelurahanKode).toBeUndefined();
    expect(place('banjir di RW 02 Manggarai').kelurahanKode).toBe('31.74.01.1007');
  });

  it('reads a street named after a facility as a street, not as the facility', () => {
    // RSUP Fatmawati is in Cilandak Barat; the road named after it runs through several kelurahan.
    expect(place('trotoar depan RS Fatmawati dibongkar').kelurahanKode).toBe('31.74.06.1001');
    expect(place('Jl. RS Fatmawati trotoar dibongkar').kelurahanKode).toBeUndefined();
    // "Jl. Petak Sembilan" is the quarter itself.
    expect(place('sampah numpuk di Jl. Petak Sembilan').kelurahanKode).toBe('31.73.03.1007');
  });

  it('places cemeteries and island jetties named after their kelurahan in it', () => {
    expect(place('makam ditumpuk di TPU Pd. Ranggon blok AA1').kelurahanKode).toBe('31.75.10.1003');
    expect(place('papan dermaga Pulau Untung Jawa lapuk').kelurahanKode).toBe('31.01.02.1001');
    // A station named after a kelurahan may stand on its edge: still only a candidate.
    expect(place('sampah dekat stasiun jatinegara').kelurahanKode).toBeUndefined();
  });

  it('places a school or an alley named after a kelurahan there, and reads "Smr" as Sumur', () => {
    expect(place('PKL di trotoar depan sekolah Tj. Duren Utara').kelurahanKode).toBe('31.73.02.1002');
    expect(place('kebakaran di gang Tanah Sereal Tambora').kelurahanKode).toBe('31.73.04.1004');
    expect(place('izin usaha kami di Kel. Smr Batu belum keluar').kelurahanKode).toBe('31.71.03.1007');
  });

  it('reads "Rw." before a name as Rawa, and "RW 05" as a neighbourhood unit', () => {
    expect(place('warga RT 09 RW 05 Rw. Badak Utara').kelurahanKode).toBe('31.72.03.1004');
    expect(place('got mampet di RW 05').candidates).toEqual([]);
    // "RW ga ada yg gerak" is the neighbourhood's head doing nothing, not a place.
    expect(
      place('got depan rumah gw di kel. krukut mampet, udh lapor RT RW ga ada yg gerak').kelurahanKode,
    ).toBe('31.73.03.1002');
  });

  it.each(['SMAN 70 Bulungan', 'SMA Negeri 70', 'sma 70 jakarta'])(
    'knows a public school however its name is written: %s',
    (school) => {
      expect(place(`tawuran lagi depan ${school} pulang sekolah`).kelurahanKode).toBe('31.74.07.1003');
    },
  );

  it('places the problem, not where the writer lives or sets out from', () => {
    expect(
      place('Saya tinggal di Rawa Buaya, lapor untuk kakak saya di Kapuk, Cengkareng: lampu gang mati')
        .kelurahanKode,
    ).toBe('31.73.01.1005');
    expect(place('rumah di Pondok Kelapa, got depan SMAN 8 Bukit Duri meluap').kelurahanKode).toBe(
      '31.74.01.1005',
    );
    expect(place('dari Lebak Bulus naik MRT ke Blok M, toilet Terminal Blok M bau').kelurahanKode).toBe(
      '31.74.07.1001',
    );
    // With no other place, home is where the problem is; its kecamatan goes with it.
    expect(place('Saya warga Kelurahan Tegal Alur, Kalideres, ingin melaporkan pungli').kelurahanKode).toBe(
      '31.73.06.1003',
    );
    expect(place('Rumah di Cipinang Muara kebanjiran lagi').kelurahanKode).toBe('31.75.03.1006');
  });

  it('reads English compass names: "West Tebet", "North Kembangan"', () => {
    expect(place('I live in West Tebet, drain covers are broken').kelurahanKode).toBe('31.74.01.1002');
    expect(place('garbage not collected in North Kembangan').kelurahanKode).toBe('31.73.08.1001');
  });

  it('leaves truncated or shared names undecided but offers the candidates', () => {
    const pejaten = place('lampu merah perempatan Pejaten mati');
    expect(pejaten.kelurahanKode).toBeUndefined();
    expect(pejaten.candidates.map((c) => c.kode).sort()).toEqual(['31.74.04.1005', '31.74.04.1006']);
    expect(place('jln Tanjung Duren Raya bolong2').kelurahanKode).toBeUndefined();
  });

  it('needs a marker for kelurahan names that are everyday words', () => {
    expect(place('lubang di tengah jalan baru').kelurahanKode).toBeUndefined();
    expect(place('RPTRA di kel. Galur dikunci').kelurahanKode).toBe('31.71.08.1003');
  });

  it('masks place names so that the classifier does not read them', () => {
    const tokens = normalizeText('Kel. Lubang Buaya').tokens;
    const result = resolveTextPlace(gazetteer.findMentions(tokens), directory);
    expect([...result.maskedTokens].map((i) => tokens[i]?.text)).toEqual(['lubang', 'buaya']);
  });

  it("leaves a landmark's facility word visible: the park's lamps are the park's problem", () => {
    const tokens = normalizeText('lampu di Taman Suropati mati').tokens;
    const result = resolveTextPlace(gazetteer.findMentions(tokens), directory);
    expect(result.kelurahanKode).toBe('31.71.06.1001');
    expect([...result.maskedTokens].map((i) => tokens[i]?.text)).toEqual(['suropati']);
  });
});
