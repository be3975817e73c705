import { capturedLogger } from '@aduan/testing';
import { ADMIN, createStack, OfficerClient, start, TestClock, type Instance, type Stack } from './harness';

interface View {
  id: string;
  name: string;
  filters: Record<string, string | boolean>;
  createdAt: string;
}
interface Problem {
  code: string;
  message: string;
  problems?: string[];
}

const NONE = {
  q: '',
  state: '',
  unit: '',
  category: '',
  channel: '',
  from: '',
  to: '',
  overdue: '',
  mine: false,
};

describe('status: officers save, list and delete their own queue views', () => {
  const { logger } = capturedLogger('status');
  const clock = new TestClock(new Date('2026-01-05T04:00:00Z'));
  let stack: Stack;
  let service: Instance;
  let sari: OfficerClient;
  let joko: OfficerClient;

  beforeAll(async () => {
    stack = await createStack('status_views', logger);
    service = await start(stack, logger, clock);
    const admin = await OfficerClient.signIn(service.base, ADMIN.username, ADMIN.password);
    sari = await admin.createOfficer('views.sari', 'crm_officer');
    joko = await admin.createOfficer('views.joko', 'unit_officer', 'DBM');
  });
  afterAll(async () => {
    await service?.stop();
    await stack?.close();
  });

  const views = async (who: OfficerClient) =>
    (await who.get<{ items: View[] }>('/v1/officer/views')).body.items;

  it('keeps each officer’s views to themselves, by name, and replaces a view saved again under its name', async () => {
    const flood = await sari.post<View>('/v1/officer/views', {
      name: '  Banjir   belum ditangani ',
      filters: { q: 'banjir', state: 'TRIAGE', category: 'Banjir' },
    });
    expect(flood.status).toBe(201);
    expect(flood.body).toMatchObject({
      name: 'Banjir belum ditangani',
      filters: { ...NONE, q: 'banjir', state: 'TRIAGE', category: 'Banjir' },
      createdAt: clock.now.toISOString(),
    });
    const everything = await sari.post<View>('/v1/officer/views', {
      name: 'Semua status, milik saya',
      filters: { state: '', mine: true, from: '2026-01-01' },
    });
    expect(everything.status).toBe(201);

    expect((await views(sari)).map((v) => v.name)).toEqual([
      'Banjir belum ditangani',
      'Semua status, milik saya',
    ]);
    expect(await views(joko)).toEqual([]);

    // The same name in another case is the same view: its filters are replaced, its id kept.
    const again = await sari.post<View>('/v1/officer/views', {
      name: 'BANJIR BELUM DITANGANI',
      filters: { q: 'banjir', overdue: 'true' },
    });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(flood.body.id);
    const listed = await views(sari);
    expect(listed).toHaveLength(2);
    expect(listed[0]).toMatchObject({
      name: 'BANJIR BELUM DITANGANI',
      filters: { ...NONE, q: 'banjir', overdue: 'true' },
    });

    // Another officer can neither delete it nor learn more than that it is not theirs.
    const stolen = await joko.call<Problem>('DELETE', `/v1/officer/views/${flood.body.id}`);
    expect(stolen.status).toBe(403);
    expect(stolen.body.code).toBe('FORBIDDEN');
    expect(await views(sari)).toHaveLength(2);

    expect((await sari.call('DELETE', `/v1/officer/views/${flood.body.id}`)).status).toBe(204);
    expect((await views(sari)).map((v) => v.id)).toEqual([everything.body.id]);
    const gone = await sari.call<Problem>('DELETE', `/v1/officer/views/${flood.body.id}`);
    expect(gone.status).toBe(404);
    expect((await sari.call<Problem>('DELETE', '/v1/officer/views/not-an-id')).status).toBe(404);
  });

  it('refuses filters a search would refuse, and names each one, saving nothing', async () => {
    const before = await views(joko);
    const bad = await joko.post<Problem>('/v1/officer/views', {
      name: 'Rusak',
      filters: { state: 'SIDEWAYS', from: '2026-02-30', cursor: 'abc' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    expect(bad.body.problems).toEqual(['filters.cursor']);
    const worse = await joko.post<Problem>('/v1/officer/views', {
      name: 'Rusak',
      filters: { state: 'SIDEWAYS', from: '2026-02-30', category: 'Bukan kategori' },
    });
    expect(worse.body.problems).toEqual(['filters.state', 'filters.category', 'filters.from']);
    for (const body of [
      { filters: {} },
      { name: 'x'.repeat(61), filters: {} },
      { name: 'Tanpa filter' },
      'text',
    ])
      expect((await joko.post<Problem>('/v1/officer/views', body)).status).toBe(400);
    expect(await views(joko)).toEqual(before);
    expect((await new OfficerClient(service.base, 'nope').get('/v1/officer/views')).status).toBe(401);
  });

  it('keeps at most 20 views per officer', async () => {
    for (let i = 1; i <= 20; i += 1)
      expect(
        (await joko.post('/v1/officer/views', { name: `Tampilan ${i}`, filters: { q: `jalan${i}` } })).status,
      ).toBe(201);
    const one = await joko.post<Problem>('/v1/officer/views', { name: 'Tampilan 21', filters: {} });
    expect(one.status).toBe(409);
    expect(one.body.code).toBe('TOO_MANY_VIEWS');
    // Saving one of the twenty again is still a replacement, not a new view.
    expect(
      (await joko.post('/v1/officer/views', { name: 'tampilan 7', filters: { overdue: 'false' } })).status,
    ).toBe(200);
    expect(await views(joko)).toHaveLength(20);
    // Another officer's bound is their own.
    expect((await sari.post('/v1/officer/views', { name: 'Tampilan 21', filters: {} })).status).toBe(201);
  });
});
