import { decide, proposeRouting } from './decide';
import { InMemoryIncidentIndex } from './duplicates/incident-index';
import { createRoutingContext } from './knowledge';
import type { RoutingInput } from './types';

const at = '2026-02-10T07:05:00+07:00';
const input = (over: Partial<RoutingInput>): RoutingInput => ({
  id: 'X',
  channel: 'jaki',
  text: '',
  receivedAt: at,
  ...over,
});

describe('decide', () => {
  const ctx = createRoutingContext();

  it('routes a located, recognisable complaint to the Suku Dinas of its kota', async () => {
    const d = await decide(
      input({
        text: 'Jalan berlubang dalam, motor jatuh. Mohon ditambal.',
        categoryHint: 'Jalan',
        location: { lat: -6.1706, lon: 106.810469 },
      }),
      ctx,
    );
    expect(d).toMatchObject({
      outcome: 'ROUTED',
      category: 'Jalan',
      opd: 'DBM',
      kelurahan: { kode: '31.71.01.1002', nama: 'Cideng' },
      kecamatan: { kode: '31.71.01' },
      kota: { kode: '31.71' },
      ruleId: 'default.jalan',
      rulesVersion: 1,
    });
    expect(d.unit?.label).toBe('Suku Dinas Bina Marga Kota Administrasi Jakarta Pusat');
    expect(d.placeConfidence).toBeGreaterThan(0.9);
  });

  it('sends a clear complaint without a usable location to TRIAGE with candidates', async () => {
    const d = await decide(
      input({ channel: 'twitter', text: 'lampu merah perempatan Pejaten mati, kendaraan saling serobot' }),
      ctx,
    );
    expect(d.outcome).toBe('TRIAGE');
    expect(d.category).toBe('Arus Lalu Lintas');
    expect(d.opd).toBe('DISHUB');
    expect(d.reasons[0]).toMatch(/^no_usable_location/);
    expect(d.candidates.places.length).toBeGreaterThan(0);
    expect(d.candidates.categories[0]?.name).toBe('Arus Lalu Lintas');
  });

  it('rejects spam but keeps the kelurahan of a GPS point', async () => {
    const d = await decide(
      input({
        text: 'Slot gacor maxwin, daftar sekarang link di bio',
        location: { lat: -6.1754, lon: 106.8272 },
      }),
      ctx,
    );
    expect(d.outcome).toBe('REJECTED');
    expect(d.category).toBeUndefined();
    expect(d.kelurahan?.kode).toBe('31.71.01.1001');
  });

  it('sends toll-road complaints to TRIAGE as outside Pemprov authority', async () => {
    const d = await decide(
      input({
        text: 'Jalan tol JORR lajur 2 banyak lubang',
        categoryHint: 'Jalan',
        location: { lat: -6.299635, lon: 106.86251 },
      }),
      ctx,
    );
    expect(d.outcome).toBe('TRIAGE');
    expect(d.reasons[0]).toMatch(/^out_of_authority/);
    expect(d.kelurahan?.kode).toBe('31.75.05.1001');
  });

  it('links a duplicate and keeps a different problem at the same spot apart', async () => {
    const dctx = createRoutingContext({ incidents: new InMemoryIncidentIndex() });
    const first = await decide(
      input({
        id: 'A',
        text: 'Aspal amblas, ada lubang 1 meter di tengah jalan',
        categoryHint: 'Jalan',
        location: { lat: -6.198549, lon: 106.882921 },
      }),
      dctx,
    );
    expect(first.outcome).toBe('ROUTED');
    const again = await decide(
      input({
        id: 'B',
        text: 'ada lobang gede di jalan, tolong ditambal',
        categoryHint: 'Jalan',
        location: { lat: -6.198527, lon: 106.88302 },
        receivedAt: '2026-02-10T07:14:00+07:00',
      }),
      dctx,
    );
    expect(again).toMatchObject({ outcome: 'DUPLICATE', duplicateOf: 'A', category: 'Jalan' });
    const other = await decide(
      input({
        id: 'C',
        text: 'Lampu jalan di titik ini mati',
        categoryHint: 'Jaringan Listrik',
        location: { lat: -6.198499, lon: 106.882774 },
        receivedAt: '2026-02-10T07:40:00+07:00',
      }),
      dctx,
    );
    expect(other.outcome).toBe('ROUTED');
  });

  it('uses admin rules and records the rule and version', async () => {
    const rctx = createRoutingContext({
      rules: {
        version: 9,
        rules: [
          {
            id: 'all-jalan-to-kelurahan',
            match: { category: 'Jalan' },
            target: { kind: 'KELURAHAN' },
            priority: 1,
          },
        ],
      },
    });
    const d = proposeRouting(
      input({ text: 'jalan rusak parah', location: { lat: -6.1754, lon: 106.8272 } }),
      rctx,
    );
    expect(d).toMatchObject({
      outcome: 'ROUTED',
      opd: 'KELURAHAN',
      ruleId: 'all-jalan-to-kelurahan',
      rulesVersion: 9,
    });
    const none = proposeRouting(
      input({ text: 'sampah numpuk', location: { lat: -6.1754, lon: 106.8272 } }),
      rctx,
    );
    expect(none.outcome).toBe('TRIAGE');
    expect(none.reasons[0]).toMatch(/^no_rule_matched/);
  });
});

describe('decide on bad input', () => {
  const ctx = createRoutingContext({ incidents: new InMemoryIncidentIndex() });
  const bad: [string, RoutingInput][] = [
    ['non-number coordinates', input({ text: 'jalan rusak', location: { lat: 'abc', lon: {} } })],
    ['NaN and Infinity', input({ text: 'jalan rusak', location: { lat: NaN, lon: Infinity } })],
    ['out-of-range coordinates', input({ text: 'jalan rusak', location: { lat: -200, lon: 500 } })],
    ['swapped coordinates', input({ text: 'jalan rusak', location: { lat: 106.8272, lon: -6.1754 } })],
    ['empty text', input({ text: '' })],
    ['emoji-only text', input({ text: '🙏🙏😡😡' })],
    ['100 KB of text', input({ text: 'jalan rusak parah di depan rumah kami '.repeat(2800) })],
    [
      'a location that is not an object',
      { ...input({ text: 'sampah' }), location: 'Monas' as unknown as null },
    ],
    [
      'fields of the wrong type',
      { id: 7, channel: null, text: 42, receivedAt: 'kemarin' } as unknown as RoutingInput,
    ],
    ['an unknown category hint', input({ text: 'pohon tumbang', categoryHint: 'Pohon Tumbang Besar' })],
  ];

  it.each(bad)('always returns a decision for %s', async (_label, value) => {
    const d = await decide(value, ctx);
    expect(['ROUTED', 'TRIAGE', 'REJECTED', 'DUPLICATE']).toContain(d.outcome);
    expect(Array.isArray(d.reasons)).toBe(true);
    expect(() => proposeRouting(value, ctx)).not.toThrow();
  });

  it('explains unusable coordinates and falls back to TRIAGE', async () => {
    const d = await decide(
      input({ id: 'n1', text: 'jalan rusak parah', location: { lat: 'abc', lon: 106.8 } }),
      ctx,
    );
    expect(d.outcome).toBe('TRIAGE');
    expect(d.reasons.some((r) => r.startsWith('coordinates_invalid'))).toBe(true);
  });

  it('routes swapped coordinates after correcting them', async () => {
    const d = await decide(
      input({ id: 's1', text: 'sampah numpuk gk diangkut', location: { lat: 106.8272, lon: -6.1754 } }),
      ctx,
    );
    expect(d.kelurahan?.kode).toBe('31.71.01.1001');
    expect(d.reasons.some((r) => r.startsWith('coordinates_swapped'))).toBe(true);
  });

  it('sends empty and emoji-only texts to TRIAGE with a reason, even with an app category', async () => {
    for (const text of ['', '   ', '🙏🙏']) {
      const d = await decide(
        input({ id: `e-${text}`, text, categoryHint: 'Jalan', location: { lat: -6.1754, lon: 106.8272 } }),
        ctx,
      );
      expect(d.outcome).toBe('TRIAGE');
      expect(d.reasons[0]).toMatch(/^text_empty/);
      expect(d.category).toBe('Jalan');
    }
  });

  it('reads only the beginning of a very long text, quickly', async () => {
    const started = Date.now();
    const d = await decide(
      input({ id: 'long', text: 'jalan rusak parah di depan rumah kami '.repeat(2800) }),
      ctx,
    );
    expect(Date.now() - started).toBeLessThan(2000);
    expect(d.reasons.some((r) => r.startsWith('text_truncated'))).toBe(true);
    expect(d.category).toBe('Jalan');
  });

  it('survives an incident index that fails', async () => {
    const failing = createRoutingContext({
      incidents: {
        findDuplicate: () => Promise.reject(new Error('db down')),
        add: () => Promise.resolve(),
        close: () => Promise.resolve(),
      },
    });
    const d = await decide(
      input({ id: 'f', text: 'sampah numpuk gk diangkut', location: { lat: -6.1754, lon: 106.8272 } }),
      failing,
    );
    expect(d.outcome).toBe('ROUTED');
    expect(d.reasons.some((r) => r.startsWith('duplicate_check_failed'))).toBe(true);
  });
});

describe('decide on hard cases', () => {
  const point = { lat: -6.2247, lon: 106.8428 }; // inside Menteng Atas
  const fresh = () => createRoutingContext({ incidents: new InMemoryIncidentIndex() });

  it('rejects a phishing SMS that imitates a city programme, with its reason', async () => {
    const d = await decide(
      input({
        channel: 'sms',
        text: 'Selamat! Anda terpilih menerima BLT Pemprov DKI Rp2.400.000. Daftar ulang di bit.ly/blt-dki paling lambat hari ini',
      }),
      createRoutingContext(),
    );
    expect(d.outcome).toBe('REJECTED');
    expect(d.reasons[0]).toMatch(/^phishing:/);
  });

  it('sends a household PLN outage to TRIAGE as outside the city’s authority', async () => {
    const d = await decide(
      input({
        channel: 'whatsapp',
        text: 'listrik rumah saya mati dr jam 8, token masih ada, tetangga nyala. Kel. Pondok Kopi',
      }),
      createRoutingContext(),
    );
    expect(d.outcome).toBe('TRIAGE');
    expect(d.category).toBe('Jaringan Listrik');
    expect(d.kelurahan?.nama).toBe('Pondok Kopi');
    expect(d.reasons[0]).toMatch(/^out_of_authority: household electricity/);
  });

  it('sends a missing person to TRIAGE for the police, even when located', async () => {
    const d = await decide(
      input({
        text: 'anak saya belum pulang sejak 2 hari, hp tidak aktif',
        categoryHint: 'Orang Hilang',
        location: point,
      }),
      createRoutingContext(),
    );
    expect(d.outcome).toBe('TRIAGE');
    expect(d.category).toBe('Orang Hilang');
    expect(d.reasons.some((r) => r.startsWith('out_of_authority: a missing person'))).toBe(true);
  });

  it('files a fallen tree across a road under Pohon although the app said Jalan', async () => {
    const d = await decide(
      input({
        text: 'pohon mahoni tumbang nutupin jalan, mobil gak bisa lewat',
        categoryHint: 'Jalan',
        location: point,
      }),
      createRoutingContext(),
    );
    expect(d).toMatchObject({ outcome: 'ROUTED', category: 'Pohon', opd: 'DISTAMHUT' });
    expect(d.reasons.some((r) => r.startsWith('hint_overridden'))).toBe(true);
  });

  it('files litter and neglect at a tourist site under Tempat Wisata, and other problems there as they are', async () => {
    const litter = await decide(
      input({ channel: 'instagram', text: 'Setu Babakan pas libur: sampah plastik numpuk di pinggir danau' }),
      createRoutingContext(),
    );
    expect(litter).toMatchObject({
      outcome: 'ROUTED',
      category: 'Tempat Wisata',
      kelurahan: { nama: 'Srengseng Sawah' },
    });
    expect(litter.reasons.some((r) => r.startsWith('tourist_site:'))).toBe(true);
    const toilet = await decide(
      input({ channel: 'twitter', text: 'toilet umum di area Monas rusak, air ga ngalir' }),
      createRoutingContext(),
    );
    expect(toilet.category).toBe('Tempat Wisata');
    const vendors = await decide(
      input({ channel: 'twitter', text: 'PKL liar jualan di trotoar depan Monas, pejalan kaki susah lewat' }),
      createRoutingContext(),
    );
    expect(vendors.category).toBe('PKL Liar');
    const elsewhere = await decide(
      input({ channel: 'twitter', text: 'sampah plastik numpuk di pinggir jalan Kel. Srengseng Sawah' }),
      createRoutingContext(),
    );
    expect(elsewhere.category).toBe('Sampah');
  });

  it("files a stadium's broken facilities under Fasilitas Olahraga, and litter there as litter", async () => {
    const toilet = await decide(
      input({
        channel: 'instagram',
        text: 'toilet umum di area Jakarta International Stadium rusak, air ga ngalir',
      }),
      createRoutingContext(),
    );
    expect(toilet.category).toBe('Fasilitas Olahraga');
    expect(toilet.reasons.some((r) => r.startsWith('sports_site:'))).toBe(true);
    const litter = await decide(
      input({
        channel: 'instagram',
        text: 'abis konser sampah plastik berserakan di kawasan GBK, tong sampah luber',
      }),
      createRoutingContext(),
    );
    expect(litter.category).toBe('Sampah');
  });

  it('reads a bare name on the commuter rail as a station, which places nothing', async () => {
    const krl = await decide(
      input({ channel: 'twitter', text: 'KRL arah Bogor ketahan 40 menit di Manggarai, AC mati' }),
      createRoutingContext(),
    );
    expect(krl.outcome).toBe('TRIAGE');
    expect(krl.kelurahan).toBeUndefined();
    expect(krl.reasons.some((r) => r.startsWith('station_name:'))).toBe(true);
    const marked = await decide(
      input({
        channel: 'twitter',
        text: 'KRL ketahan lagi, warga Kel. Manggarai nunggu di perlintasan 30 menit',
      }),
      createRoutingContext(),
    );
    expect(marked.kelurahan?.nama).toBe('Manggarai');
  });

  it("does not read a letter's sign-off as its complaint", async () => {
    const d = await decide(
      input({
        channel: 'email',
        text: 'Selamat siang,\n\nBersama ini kami lampirkan foto kondisi lingkungan kami di Kel. Pekojan. Mohon ditindaklanjuti.\n\nTerima kasih.\nKetua RW 05',
      }),
      createRoutingContext(),
    );
    expect(d.category).toBeUndefined();
    expect(d.outcome).toBe('TRIAGE');
  });

  it('places a text by a well-known landmark, and leaves a boundary landmark to a person', async () => {
    const inside = await decide(
      input({ channel: 'twitter', text: 'trotoar depan Gereja Immanuel rusak, ubinnya pada copot' }),
      createRoutingContext(),
    );
    expect(inside).toMatchObject({ outcome: 'ROUTED', kelurahan: { nama: 'Gambir' } });
    const edge = await decide(
      input({ channel: 'twitter', text: 'jukir liar di Stasiun Duri makin banyak, minta 10rb' }),
      createRoutingContext(),
    );
    expect(edge.outcome).toBe('TRIAGE');
    expect(edge.kelurahan).toBeUndefined();
    expect(edge.candidates.places.length).toBeGreaterThan(1);
  });

  it('links later reports of one incident to its first report across related categories', async () => {
    const ctx = fresh();
    const first = await decide(
      input({
        id: 'A',
        channel: 'jaki',
        text: 'pipa air PAM pecah, air nyembur ke jalan dari pagi',
        categoryHint: 'Jaringan Air Bersih',
        location: point,
      }),
      ctx,
    );
    expect(first.outcome).toBe('ROUTED');
    const second = await decide(
      input({
        id: 'B',
        channel: 'whatsapp',
        text: 'jalanan kebanjiran gara2 pipa air bocor gede, air bersih kebuang terus',
        location: { lat: point.lat + 0.0003, lon: point.lon },
        receivedAt: '2026-02-10T07:45:00+07:00',
      }),
      ctx,
    );
    expect(second).toMatchObject({ outcome: 'DUPLICATE', duplicateOf: 'A', category: 'Jaringan Air Bersih' });
    const third = await decide(
      input({
        id: 'C',
        channel: 'twitter',
        text: 'pipa PAM pecah, air tumpah ke jalan',
        location: { lat: point.lat - 0.0002, lon: point.lon },
        receivedAt: '2026-02-10T08:30:00+07:00',
      }),
      ctx,
    );
    expect(third).toMatchObject({ outcome: 'DUPLICATE', duplicateOf: 'A' });
  });
});
