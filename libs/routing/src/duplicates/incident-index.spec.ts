import { DEFAULT_DUPLICATE_POLICY, InMemoryIncidentIndex, type IncidentRecord } from './incident-index';
import { signatureSimilarity } from './text-signature';

const base: IncidentRecord = {
  id: 'A',
  category: 'Jalan',
  kelurahanKode: '31.75.02.1005',
  point: { lat: -6.198549, lon: 106.882921 },
  receivedAt: '2026-02-10T07:05:00+07:00',
  textSignature: ['aspal', 'lubang', 'tengah', 'jalan'],
};

describe('InMemoryIncidentIndex', () => {
  it('links a report of the same category a few metres and minutes later', async () => {
    const index = new InMemoryIncidentIndex();
    await index.add(base);
    const dup = await index.findDuplicate(
      {
        ...base,
        id: 'B',
        point: { lat: -6.198527, lon: 106.88302 },
        receivedAt: '2026-02-10T07:14:00+07:00',
      },
      DEFAULT_DUPLICATE_POLICY,
    );
    expect(dup).toMatchObject({ id: 'A', basis: 'point', minutesApart: 9 });
    expect(dup?.distanceMeters).toBeLessThan(20);
  });

  it('does not link a different problem at the same spot, a far point, or an old report', async () => {
    const index = new InMemoryIncidentIndex();
    await index.add(base);
    const policy = DEFAULT_DUPLICATE_POLICY;
    expect(
      await index.findDuplicate({ ...base, id: 'B', category: 'Jaringan Listrik' }, policy),
    ).toBeUndefined();
    expect(
      await index.findDuplicate({ ...base, id: 'C', point: { lat: -6.2, lon: 106.885 } }, policy),
    ).toBeUndefined();
    expect(
      await index.findDuplicate({ ...base, id: 'D', receivedAt: '2026-02-13T07:05:00+07:00' }, policy),
    ).toBeUndefined();
  });

  it('stops linking to a closed incident', async () => {
    const index = new InMemoryIncidentIndex();
    await index.add(base);
    await index.close('A');
    expect(await index.findDuplicate({ ...base, id: 'B' }, DEFAULT_DUPLICATE_POLICY)).toBeUndefined();
    expect(index.openCount).toBe(0);
  });

  it('links text-only reports only with the same kelurahan and similar text', async () => {
    const index = new InMemoryIncidentIndex();
    const { point: _omit, ...textOnly } = base;
    void _omit;
    await index.add(textOnly);
    const policy = DEFAULT_DUPLICATE_POLICY;
    expect(
      await index.findDuplicate(
        { ...textOnly, id: 'B', textSignature: ['lubang', 'tengah', 'jalan'] },
        policy,
      ),
    ).toMatchObject({
      id: 'A',
      basis: 'text',
    });
    expect(
      await index.findDuplicate(
        { ...textOnly, id: 'C', kelurahanKode: '31.75.02.1001', textSignature: base.textSignature },
        policy,
      ),
    ).toBeUndefined();
    expect(
      await index.findDuplicate({ ...textOnly, id: 'D', textSignature: ['sampah', 'bau'] }, policy),
    ).toBeUndefined();
  });

  it('links a long letter to a short report of the same category a day later by the things both name', async () => {
    const index = new InMemoryIncidentIndex();
    const { point: _omit, ...textOnly } = base;
    void _omit;
    const words = ['bakar', 'sampah', 'kabel', 'lahan', 'gudang', 'mebel', 'asap'];
    await index.add({ ...textOnly, category: 'Pencemaran Lingkungan', textSignature: words });
    const letter = {
      ...textOnly,
      category: 'Pencemaran Lingkungan',
      receivedAt: '2026-02-11T09:00:00+07:00',
      textSignature: [
        ...words.slice(0, 5),
        'pihak',
        'sore',
        'pekat',
        'warga',
        'anak',
        'sesak',
        'napas',
        'hormat',
      ],
    };
    expect(await index.findDuplicate({ ...letter, id: 'B' }, DEFAULT_DUPLICATE_POLICY)).toMatchObject({
      id: 'A',
      basis: 'text',
    });
    // Four things in common a day later are not enough.
    expect(
      await index.findDuplicate(
        { ...letter, id: 'C', textSignature: letter.textSignature.slice(1) },
        DEFAULT_DUPLICATE_POLICY,
      ),
    ).toBeUndefined();
  });

  it('evicts the oldest entries beyond its bound', async () => {
    const index = new InMemoryIncidentIndex(2);
    await index.add({ ...base, id: '1', receivedAt: '2026-01-01T00:00:00+07:00' });
    await index.add({ ...base, id: '2', receivedAt: '2026-01-02T00:00:00+07:00' });
    await index.add({ ...base, id: '3', receivedAt: '2026-01-03T00:00:00+07:00' });
    expect(index.openCount).toBe(2);
    const sixHours = { ...DEFAULT_DUPLICATE_POLICY, maxAgeHours: 6 };
    expect(
      await index.findDuplicate({ ...base, id: 'x', receivedAt: '2026-01-01T01:00:00+07:00' }, sixHours),
    ).toBeUndefined();
    expect(
      await index.findDuplicate({ ...base, id: 'y', receivedAt: '2026-01-02T01:00:00+07:00' }, sixHours),
    ).toMatchObject({ id: '2' });
  });
});

describe('signatureSimilarity', () => {
  it('is Jaccard over word sets', () => {
    expect(signatureSimilarity(['a', 'b'], ['b', 'c'])).toBeCloseTo(1 / 3);
    expect(signatureSimilarity([], ['a'])).toBe(0);
  });
});

describe('incidents across a category family', () => {
  const flood: IncidentRecord = {
    ...base,
    id: 'F1',
    category: 'Banjir',
    textSignature: ['air', 'gang', 'kali', 'luap', 'rendam'],
  };

  it('matches an overflowing-river report to an open flood at the same spot', async () => {
    const index = new InMemoryIncidentIndex();
    await index.add(flood);
    const dup = await index.findDuplicate(
      {
        ...flood,
        id: 'F2',
        category: 'Saluran Air, Kali/Sungai',
        textSignature: ['air', 'kali', 'luap', 'masuk', 'rumah'],
        receivedAt: '2026-02-10T08:00:00+07:00',
      },
      DEFAULT_DUPLICATE_POLICY,
    );
    expect(dup).toMatchObject({ id: 'F1', category: 'Banjir', basis: 'point' });
  });

  it('keeps a hydrant that gave no water apart from the fire it was needed for', async () => {
    const index = new InMemoryIncidentIndex();
    const fire = {
      ...base,
      id: 'K1',
      category: 'Penanganan Kebakaran',
      textSignature: ['api', 'damkar', 'gang', 'rumah'],
    };
    await index.add(fire);
    const hydrant = {
      ...fire,
      id: 'K2',
      category: 'Prasarana dan Sarana Penanggulangan Kebakaran',
      textSignature: ['hidran', 'air', 'damkar', 'gang', 'selang'],
      receivedAt: '2026-02-10T09:00:00+07:00',
    };
    expect(await index.findDuplicate(hydrant, DEFAULT_DUPLICATE_POLICY)).toBeUndefined();
  });

  it('needs shared words across categories, and no family match when turned off', async () => {
    const index = new InMemoryIncidentIndex();
    await index.add(flood);
    const probe = {
      ...flood,
      id: 'F2',
      category: 'Saluran Air, Kali/Sungai',
      textSignature: ['got', 'mampet', 'bau'],
    };
    expect(await index.findDuplicate(probe, DEFAULT_DUPLICATE_POLICY)).toBeUndefined();
    expect(
      await index.findDuplicate(
        { ...probe, textSignature: flood.textSignature },
        { ...DEFAULT_DUPLICATE_POLICY, categoryFamilies: false },
      ),
    ).toBeUndefined();
  });

  it('points to the first report when a later one of the incident was opened on its own', async () => {
    const index = new InMemoryIncidentIndex();
    await index.add(flood);
    await index.add({ ...flood, id: 'F2', receivedAt: '2026-02-10T07:30:00+07:00' });
    const dup = await index.findDuplicate(
      { ...flood, id: 'F3', receivedAt: '2026-02-10T07:40:00+07:00' },
      DEFAULT_DUPLICATE_POLICY,
    );
    expect(dup?.id).toBe('F1');
  });

  it('accepts less word overlap for text-only reports by the same landmark', async () => {
    const index = new InMemoryIncidentIndex();
    const textOnly: IncidentRecord = {
      id: 'S1',
      category: 'Sampah',
      kelurahanKode: '31.75.02.1005',
      receivedAt: '2026-02-10T07:05:00+07:00',
      textSignature: ['angkut', 'bau', 'minggu', 'sampah', 'tumpuk'],
      placeKey: 'landmark pasar rawamangun',
    };
    await index.add(textOnly);
    const probe: IncidentRecord = {
      ...textOnly,
      id: 'S2',
      receivedAt: '2026-02-10T10:05:00+07:00',
      textSignature: ['angkut', 'lalat', 'pinggir', 'sampah', 'tinggi', 'tumpuk'],
    };
    expect(await index.findDuplicate(probe, DEFAULT_DUPLICATE_POLICY)).toMatchObject({
      id: 'S1',
      basis: 'text',
    });
    expect(
      await index.findDuplicate(
        // Without the landmark, and more than a few hours later, the same words are not enough.
        { ...probe, placeKey: undefined, receivedAt: '2026-02-10T17:05:00+07:00' } as IncidentRecord,
        DEFAULT_DUPLICATE_POLICY,
      ),
    ).toBeUndefined();
  });
});
