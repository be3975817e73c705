import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadRoutingKnowledge } from '../knowledge';
import { type NaiveBayesModel, NaiveBayesClassifier, nbFeatures } from './naive-bayes';
import { normalizeText } from '../text/normalize';
import { CategoryClassifier, DEFAULT_CLASSIFIER_TUNING } from './classifier';

describe('CategoryClassifier', () => {
  const { classifier } = loadRoutingKnowledge();
  const classify = (text: string, hint?: string) =>
    classifier.classify(normalizeText(text).tokens, new Set(), hint);

  it.each([
    ['jln rusak parah, lobangnya dalem bgt udh byk yg jatuh', 'Jalan'],
    ['sampah numpuk gk diangkut2 udh seminggu, baunya nyampe rumah', 'Sampah'],
    ['got depan rumah mampet total, air item pekat', 'Saluran Air, Kali/Sungai'],
    ['lampu PJU mati 4 titik, jalan gelap gulita', 'Jaringan Listrik'],
    ['air PAM keruh kecoklatan udh 3 hari', 'Jaringan Air Bersih'],
    ['PKL makan trotoar, pejalan kaki harus turun ke jalan', 'PKL Liar'],
    ['tiap malam balap liar, knalpot brong bikin gk bisa tidur', 'Gangguan Ketenteraman dan Ketertiban'],
    ['Huge pothole right in the middle of the lane, please fix it', 'Jalan'],
    ['The streetlights on our street have been off for two weeks', 'Jaringan Listrik'],
    ['Hydrant dpn gg 5 bocor, air muncrat trs', 'Prasarana dan Sarana Penanggulangan Kebakaran'],
    ['ada ular sanca masuk halaman rumah warga', 'Satwa Liar'],
  ])('%s → %s', (text, category) => {
    expect(classify(text).category).toBe(category);
  });

  it.each([
    ['lampu di RPTRA mati semua, anak2 main gelap2an', 'Ruang Publik Terpadu Ramah Anak (RPTRA)'],
    ['pompa air di rusun mati 3 hari, lantai atas ga dapet air', 'Rumah Susun / Hunian Vertikal'],
    ['lampu taman di taman kota mati', 'Taman'],
    ['lampu JPO mati semua, naik tangga gelap gulita', 'Jembatan Penyeberangan Orang (JPO) dan/atau Halte'],
  ])('reads a part of a facility as the facility: %s → %s', (text, category) => {
    expect(classify(text).category).toBe(category);
  });

  it('reads a possessive part ("lampunya") as the part of the facility named before it', () => {
    expect(classify('halte busnya kotor, atapnya bolong dan lampunya padam').category).toBe(
      'Jembatan Penyeberangan Orang (JPO) dan/atau Halte',
    );
    expect(classify('lampunya mati terus di gang kami').category).toBe('Jaringan Listrik');
  });

  it('keeps a part near a facility, not in it, with the part', () => {
    expect(classify('lampu PJU depan RPTRA mati, jalan gelap').category).toBe('Jaringan Listrik');
  });

  it.each([
    'staf kelurahan minta 200rb buat surat pengantar, katanya biar cepet',
    'penggali kubur minta uang tambahan sejuta, kalau ga dikasih ga digali',
  ])('reads an official asking for a sum as extortion: %s', (text) => {
    expect(classify(text).category).toBe('Pungutan Liar');
  });

  it('treats the app category as a strong prior', () => {
    const r = classify(
      'Mobil parkir liar sampai dua lapis, jalan tinggal satu lajur dan macet tiap sore.',
      'Parkir Liar',
    );
    expect(r.category).toBe('Parkir Liar');
    expect(r.hintOverridden).toBe(false);
  });

  it('overrides the app category when the text clearly says otherwise, and notes it', () => {
    const r = classify(
      'Tutup got beton di depan SD pecah dan bolong, anak kecil bisa kejeblos.',
      'Saluran Air, Kali/Sungai',
    );
    expect(r.category).toBe('Tutup Saluran');
    expect(r.reasons.some((x) => x.startsWith('hint_overridden'))).toBe(true);
  });

  it('discounts what might happen ("nanti banjir") against what is happening', () => {
    const r = classify(
      'Got penuh sampah & lumpur, airnya gk ngalir sama sekali. Kalau dibiarin nanti banjir.',
      'Banjir',
    );
    expect(r.category).toBe('Saluran Air, Kali/Sungai');
  });

  it('gives no prior to an app category that names only a part of the facility', () => {
    // The lamps of a pedestrian bridge, filed by the user under street lights.
    const r = classify('Lampu di JPO ini mati semua, tangga & lorongnya gelap total.', 'Jaringan Listrik');
    expect(r.category).toBe('Jembatan Penyeberangan Orang (JPO) dan/atau Halte');
    expect(r.reasons.some((x) => x.startsWith('hint_names_part'))).toBe(true);
    // "lampu mati" is the part and its state, still a part.
    expect(
      classify(
        'JPO depan pasar lampunya mati semua, pegangan tangganya goyang. Malem2 gelap.',
        'Jaringan Listrik',
      ).category,
    ).toBe('Jembatan Penyeberangan Orang (JPO) dan/atau Halte');
    // A part that is a facility of its own keeps the user's pick.
    expect(
      classify('Toilet umum di taman ini kotor dan pintunya rusak.', 'Fasilitas Sosial/Fasilitas Umum')
        .category,
    ).toBe('Fasilitas Sosial/Fasilitas Umum');
  });

  it('reads a facility after "di" as where an object named before it is, not as the object', () => {
    expect(classify('Penutup saluran di trotoar copot, ada lubang').category).toBe('Tutup Saluran');
    // A part before its facility still belongs to it.
    expect(classify('lampu di RPTRA mati semua').category).toBe('Ruang Publik Terpadu Ramah Anak (RPTRA)');
  });

  it('reads SMP in capitals as a school, not as "sampai"', () => {
    expect(classify('anak2 SMP pake seragam nongkrong di warnet jam sekolah, bolos tiap hari').category).toBe(
      'Permasalahan Siswa',
    );
  });

  it('names a second problem', () => {
    const r = classify(
      'Saluran air tersumbat lumpur. Akibatnya aspal jalan rusak dan berlubang di beberapa titik.',
    );
    expect(r.category).toBe('Saluran Air, Kali/Sungai');
    expect(r.secondProblem).toBe('Jalan');
  });

  it('returns no category when no problem is recognisable, and flags unknown hints', () => {
    expect(classify('pak tolong ditindak, udh keterlaluan bgt ini').category).toBeUndefined();
    expect(classify('', 'Bukan Kategori').reasons[0]).toMatch(/^hint_unknown/);
  });
});

describe('a category only the model proposes', () => {
  const k = loadRoutingKnowledge();
  const names = k.categories.map((c) => c.name);
  const text = 'tabung melon isinya kurang sekilo terus';
  const model = new NaiveBayesClassifier(
    trainModelFrom([
      [text, 'Bahan Bakar Gas'],
      ['jalan berlubang', 'Jalan'],
    ]),
  );
  const proposing = new CategoryClassifier(
    k.lexicon,
    names,
    { ...DEFAULT_CLASSIFIER_TUNING, modelProposeAt: 0.6 },
    model,
  );

  it('names the category the lexicon has no word for, but is no evidence of a complaint', () => {
    const r = proposing.classify(normalizeText(text).tokens, new Set());
    expect(r.category).toBe('Bahan Bakar Gas');
    // The screens read textTop: a proposal alone must not make chatter look like a complaint.
    expect(r.textTop).toBe(0);
  });

  function trainModelFrom(docs: [string, string][]): NaiveBayesModel {
    const classes = docs.map(([t, category]) => ({
      name: category,
      features: nbFeatures(normalizeText(t).tokens),
    }));
    return {
      version: 1,
      alpha: 0.1,
      vocabulary: new Set(classes.flatMap((c) => c.features)).size,
      classes: classes.map((c) => ({
        name: c.name,
        total: c.features.length,
        counts: Object.fromEntries(c.features.map((f) => [f, 1])),
      })),
    };
  }
});

describe('category probes', () => {
  it('classifies at least 90 % of the hand-written probe complaints (slang, rare categories)', () => {
    const { classifier } = loadRoutingKnowledge();
    const probes = JSON.parse(
      readFileSync(join(__dirname, '..', '..', 'test', 'fixtures', 'category-probes.json'), 'utf8'),
    ) as { cases: [string, string, string?][] };
    const right = probes.cases.filter(
      ([text, want, hint]) =>
        classifier.classify(normalizeText(text).tokens, new Set(), hint).category === want,
    ).length;
    expect(right / probes.cases.length).toBeGreaterThanOrEqual(0.9);
  });
});
