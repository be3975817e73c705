import { loadRoutingKnowledge } from '../knowledge';
import { normalizeText } from '../text/normalize';
import { NaiveBayesClassifier, nbFeatures, trainNaiveBayes } from './naive-bayes';
import { NOT_A_COMPLAINT, Screener } from './screening';

describe('Screener', () => {
  const { classifier, screener } = loadRoutingKnowledge();
  const screen = (text: string, opts: { hint?: boolean; location?: boolean } = {}) => {
    const n = normalizeText(text);
    const complaintScore = classifier.classify(n.tokens, new Set()).textTop;
    return screener.screen({
      text: n,
      complaintScore,
      hasHint: opts.hint ?? false,
      hasLocation: opts.location ?? false,
    });
  };

  it.each([
    [
      'Butuh dana cepat? Pinjaman online cair 5 menit tanpa jaminan, hubungi WA 0812-xxxx-xxxx',
      'spam_or_advertising',
    ],
    ['Slot gacor hari ini maxwin!! Daftar sekarang, link di bio', 'spam_or_advertising'],
    ['Selamat! No Anda mendapat hadiah Rp25jt. Klik bit.ly/hadiah-dki utk klaim', 'phishing'],
    ['woy admin bodo, bales dong', 'abuse_without_complaint'],
    ['kerja lo pada ngapain aja sih anj*ng', 'abuse_without_complaint'],
    ['kak mau nanya, jadwal ganjil genap hari ini berlaku gk ya?', 'information_question'],
    ['internet IndiHome di rumah mati udh 4 hari, CS nya muter2', 'private_commercial_matter'],
    ['paket sy dr shopee blm sampe, kurirnya gk bisa dihubungi', 'private_commercial_matter'],
    ['test', 'test_message'],
    ['min apa kabar? semangat kerjanya ya', 'irrelevant'],
  ])('rejects "%s" as %s', (text, code) => {
    expect(screen(text).reject?.code).toBe(code);
  });

  it('keeps a rude message that carries a real complaint', () => {
    expect(
      screen('Sampah di pinggir jalan ini gk pernah diangkut2, bangs*t lah baunya').reject,
    ).toBeUndefined();
  });

  it('keeps a question that describes a problem', () => {
    expect(
      screen('how do I report noisy construction at night? still drilling, cannot sleep').reject,
    ).toBeUndefined();
  });

  it('rejects thanks for work done, but not thanks around a complaint', () => {
    expect(screen('makasih banyak bapak2 damkar yang sigap kemarin, salut').reject?.code).toBe('thanks');
    expect(
      screen('Terima kasih sebelumnya. Pohon beringin besar di gang kami condong ke atap rumah').reject,
    ).toBeUndefined();
    expect(screen('terima kasih sudah diaspal, tapi sekarang gorong2nya jebol').reject).toBeUndefined();
  });

  it('rejects warm thanks for work done even where the work named reads like a complaint', () => {
    expect(
      screen(
        'Mantap bapak2 PPSU kelurahan, kemaren sore cepet banget bersihin saluran depan rumah abis ujan. Terima kasih banyak pak, sehat selalu',
      ).reject?.code,
    ).toBe('thanks');
  });

  it('keeps a complaint about loan adverts stuck on poles that quotes their phone number', () => {
    const quoted =
      'PINJAMAN DANA CEPAT CAIR WA 0812-1234-5678, ini tulisan stiker yg ditempel di tiang listrik sepanjang jalan ini. Tolong dicopot';
    expect(screen(quoted).reject).toBeUndefined();
    // The advert itself, sent to us, is still spam.
    expect(
      screen('PINJAMAN DANA CEPAT CAIR 1 JAM tanpa jaminan, hubungi WA 0812-1234-5678').reject?.code,
    ).toBe('spam_or_advertising');
  });

  it('does not reject a plea for action with no recognisable problem (that is TRIAGE)', () => {
    expect(
      screen('pak tolong ditindak, udh keterlaluan bgt ini. warga udah capek ngadu').reject,
    ).toBeUndefined();
  });

  it('flags matters outside Pemprov authority', () => {
    expect(screen('Jalan tol JORR lajur 2 banyak lubang').outOfAuthority?.code).toBe('toll_road');
    expect(screen('listrik di rumah mati dari semalam, PLN gak bisa dihubungi').outOfAuthority?.code).toBe(
      'household_electricity',
    );
    expect(screen('lampu jalan mati, gelap').outOfAuthority).toBeUndefined();
  });
});

describe('Screener on hard cases', () => {
  const { classifier, screener } = loadRoutingKnowledge();
  const screen = (text: string, opts: { hint?: boolean; location?: boolean; place?: boolean } = {}) => {
    const n = normalizeText(text);
    return screener.screen({
      text: n,
      complaintScore: classifier.classify(n.tokens, new Set()).textTop,
      hasHint: opts.hint ?? false,
      hasLocation: opts.location ?? false,
      namesPlace: opts.place ?? false,
    });
  };

  it.each([
    [
      'Kartu Lansia Jakarta anda aktif kembali! Klaim dana Rp900rb via lansia-jkt.online sebelum hangus',
      'phishing',
    ],
    ['Pemberitahuan: akun JakOne anda diblokir, update data di jakone-update.app hari ini', 'phishing'],
    [
      'Ruko 3 lantai disewakan di Cengkareng, strategis pinggir jalan raya, hub 0812-3456-7890',
      'spam_or_advertising',
    ],
    ['Terima pasang paving & saluran air, harga bersahabat, garansi. Minat japri', 'spam_or_advertising'],
    ['ayo dukung caleg dapil 5 kita, coblos partai nomor urut 2!', 'political_opinion'],
    ['min Monas buka jam berapa ya hari minggu?', 'information_question'],
    ['testing testing dari hp baru', 'test_message'],
    ['jakarta panas bgt kayak neraka bocor wkwkwk', 'joke'],
    ['lapor min, gebetan saya ghosting terus wkwk tolong ditindak', 'joke'],
    ['Pendaftaran KJP Plus dibuka! Isi formulir di kjp-daftar.online sebelum kuota habis', 'phishing'],
    ['dukung paslon 1 biar jakarta bebas banjir, coblos!', 'political_opinion'],
  ])('rejects "%s" as %s', (text, code) => {
    expect(screen(text).reject?.code).toBe(code);
  });

  it.each([
    ['stiker promo sedot wc ditempel di semua tiang di gang, kotor, tolong dibersihkan', { place: true }],
    ['Bu mau tanya, kenapa lampu jalan di RW kami mati terus sejak minggu lalu?', { place: true }],
    ['kenapa sih air ledeng mati terus dari kemarin?', {}],
    ['Test. Got depan rumah mampet, air meluap ke jalan.', { location: true, hint: true }],
    ['hahaha trotoar depan sekolah udah kayak arena off road saking rusaknya', { place: true }],
    ['wkwk jalan udah kayak kolam lele, tolong ditambal', {}],
    ['info dong min, PKL di trotoar Kel. Jatinegara Kaum bisa ditertibkan gak?', { place: true }],
    ['brengsek, sampah di TPS belum diangkut seminggu', { place: true }],
    ['lampu padam di rumah saya aja, tetangga nyala, PLN belum datang', {}],
    ['ruang baca di kantor kelurahan tiap jam buka malah dikunci, rak bukunya udah keropos', { place: true }],
    ['bu admin mau tanya, kenapa tekanan air PAM di rumah lemah sekali sejak subuh?', { place: true }],
  ])('never rejects the genuine complaint "%s"', (text, opts) => {
    expect(screen(text, opts).reject).toBeUndefined();
  });

  it('lets a person look at a photo sent with no words of a problem', () => {
    expect(screen('[Foto] pak ini gimana ya').reject).toBeUndefined();
    expect(screen('pak ini gimana ya').reject?.code).toBe('irrelevant');
  });

  it('lets a person answer someone who says they want to report something', () => {
    expect(screen('selamat siang, saya mau melaporkan sesuatu, bisa dibantu min?').reject).toBeUndefined();
  });

  it('keeps a courier parking on the pavement, however many courier names it has', () => {
    expect(
      screen(
        'kurir ekspedisi J&T, SiCepat tiap sore parkir motor di atas trotoar, pejalan kaki turun ke jalan',
        {
          location: true,
        },
      ).reject,
    ).toBeUndefined();
  });

  it('rejects weariness with the whole city, but not a complaint at a place', () => {
    expect(
      screen('capek bgt hidup di jakarta, panas, macet, polusi. pengen pindah ke desa aja').reject?.code,
    ).toBe('abuse_without_complaint');
    expect(
      screen('capek bgt tiap hari macet di perempatan Kel. Cawang, lampu merahnya mati', { location: true })
        .reject,
    ).toBeUndefined();
  });

  it("rejects an e-wallet matter as a private company's", () => {
    expect(screen('saldo e-wallet gw ilang 2 jt, CS nya cuma template').reject?.code).toBe(
      'private_commercial_matter',
    );
  });

  it('keeps a complaint that quotes the adverts painted on a fence', () => {
    expect(
      screen(
        '"DIJUAL CEPAT RUMAH HUB 0813xxxx" "SEDOT WC 24 JAM" ini bukan iklan ya min, ini isi tembok pagar SD di Kel. Kwitang, dicat & ditempel seenaknya, tolong dibersihin',
      ).reject,
    ).toBeUndefined();
  });

  it('sends a private debt to a person even with no problem word in it', () => {
    const result = screen('adik ipar pinjam 20 juta ga mau bayar utang sampai sekarang');
    expect(result.reject).toBeUndefined();
    expect(result.outOfAuthority?.code).toBe('private_dispute');
  });

  it('sends matters of other bodies to a person with the reason', () => {
    expect(
      screen('oknum polisi lalu lintas minta uang damai biar STNK gak ditahan').outOfAuthority?.code,
    ).toBe('national_police');
    expect(
      screen('sengketa tanah warisan dengan paman, dia klaim sertifikatnya atas nama dia').outOfAuthority
        ?.code,
    ).toBe('private_dispute');
    expect(screen('tetangga pinjam uang 20 juta ga dibalikin, tolong bantu tagih').outOfAuthority?.code).toBe(
      'private_dispute',
    );
    expect(screen('area parkir Bandara Halim becek dan gelap').outOfAuthority?.code).toBe(
      'central_government_facility',
    );
    expect(screen('MCB rumah turun terus, token masih ada, PLN gak dateng').outOfAuthority?.code).toBe(
      'household_electricity',
    );
    expect(
      screen('tetangga ngaku2 tanah saya 1 meter dan bangun pagar, padahal sertifikat saya jelas')
        .outOfAuthority?.code,
    ).toBe('private_dispute');
    expect(
      screen('tetangga bangun tembok pembatas masuk 80 cm ke tanah saya, padahal di sertifikat jelas')
        .outOfAuthority?.code,
    ).toBe('private_dispute');
    expect(screen('sampah liar numpuk di kolong tol, bau dan banyak tikus').outOfAuthority).toBeUndefined();
    expect(
      screen('kebakaran gudang plastik di Kel. Kapuk Muara, asapnya nyampe tol sedyatmo').outOfAuthority,
    ).toBeUndefined();
    expect(screen('jalan tol dalam kota berlubang di lajur kanan').outOfAuthority?.code).toBe('toll_road');
    expect(screen('tawuran di flyover, polisi belum datang').outOfAuthority).toBeUndefined();
  });
});

describe('Screener with a screen model', () => {
  const { classifier, lexicon } = loadRoutingKnowledge();
  // A model of two tiny classes is enough to show what it may and may not change.
  const docs = (texts: string[], category: string) =>
    texts.map((t) => ({ category, features: nbFeatures(normalizeText(t).tokens), weight: 1 }));
  const model = new NaiveBayesClassifier(
    trainNaiveBayes(
      [
        ...docs(['mohon doanya, sehat selalu', 'salam dari jauh, mohon doa restu ya'], NOT_A_COMPLAINT),
        ...docs(['pak tolong, kapan ada yang ngecek, sudah seminggu begini'], 'complaint'),
      ],
      { maxClassesPerFeature: 2 },
    ),
  );
  const screener = new Screener(lexicon, model);
  const screen = (text: string, namesPlace = false) => {
    const n = normalizeText(text);
    return screener.screen({
      text: n,
      complaintScore: classifier.classify(n.tokens, new Set()).textTop,
      hasHint: false,
      hasLocation: false,
      namesPlace,
    });
  };

  it('rejects what reads like no complaint when nothing places it', () => {
    // "mohon" asks for something, so no rule rejects it.
    expect(screen('mohon doanya ya, salam sehat selalu').reject?.code).toBe('unlike_a_complaint');
    expect(screen('mohon doanya ya, salam sehat selalu', true).reject).toBeUndefined();
  });

  it("does not doubt a private company's matter, however much it reads like a complaint", () => {
    expect(
      screen('internet IndiHome mati, kapan ada yang ngecek pak? sudah seminggu begini, tolong').reject?.code,
    ).toBe('private_commercial_matter');
  });

  it('doubts a rule that rejects what reads like a complaint, but never a phishing rule', () => {
    const doubted = screen('kapan ada yang ngecek pak? sudah seminggu begini, tolong');
    expect(doubted.reject).toBeUndefined();
    expect(doubted.doubted?.code).toBe('information_question');
    expect(
      screen('Selamat! No Anda mendapat hadiah Rp25jt. Klik bit.ly/hadiah-dki utk klaim').reject?.code,
    ).toBe('phishing');
  });
});
