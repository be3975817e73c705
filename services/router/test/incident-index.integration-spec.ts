import { openDatabase } from '@aduan/persistence';
import { DEFAULT_DUPLICATE_POLICY, type IncidentRecord } from '@aduan/routing';
import { capturedLogger, createTestDatabase, type TestDatabase } from '@aduan/testing';
import type { DataSource } from 'typeorm';
import { migrations } from '../src/database/migrations';
import { PgIncidentIndex } from '../src/routing/pg-incident-index';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('PgIncidentIndex against real Postgres', () => {
  const { logger } = capturedLogger('router');
  let database: TestDatabase;
  let db: DataSource;
  let index: PgIncidentIndex;

  const flood: IncidentRecord = {
    id: id(1),
    category: 'Banjir',
    kelurahanKode: '31.75.03.1001',
    point: { lat: -6.2246, lon: 106.8661 },
    receivedAt: '2026-11-20T06:00:00+07:00',
    textSignature: ['air', 'gang', 'kali', 'luap', 'rendam'],
    categoryConfidence: 0.6,
  };

  beforeAll(async () => {
    database = await createTestDatabase('router_incidents');
    db = await openDatabase({
      url: database.url,
      entities: [],
      migrations,
      migrationsTableName: 'router_migrations',
      logger,
    });
    index = new PgIncidentIndex(db);
  });

  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it('finds an open incident of a related category and points to its first report', async () => {
    await index.add(flood);
    // A later report of the same flood that was opened on its own before it could be linked.
    await index.add({ ...flood, id: id(2), receivedAt: '2026-11-20T06:30:00+07:00' });
    const match = await index.findDuplicate(
      {
        ...flood,
        id: id(3),
        category: 'Saluran Air, Kali/Sungai',
        point: { lat: -6.2244, lon: 106.8662 },
        receivedAt: '2026-11-20T07:10:00+07:00',
        textSignature: ['air', 'kali', 'luap', 'masuk', 'rumah'],
      },
      DEFAULT_DUPLICATE_POLICY,
    );
    expect(match).toMatchObject({ id: id(1), category: 'Banjir', basis: 'point', categoryConfidence: 0.6 });
  });

  it('matches a text-only report by the same landmark, and ignores closed incidents', async () => {
    const heap: IncidentRecord = {
      id: id(10),
      category: 'Sampah',
      kelurahanKode: '31.75.02.1005',
      receivedAt: '2026-11-21T08:00:00+07:00',
      textSignature: ['angkut', 'bau', 'minggu', 'sampah', 'tumpuk'],
      placeKey: 'landmark pasar rawamangun',
    };
    await index.add(heap);
    const probe: IncidentRecord = {
      ...heap,
      id: id(11),
      receivedAt: '2026-11-21T11:00:00+07:00',
      textSignature: ['angkut', 'lalat', 'pinggir', 'sampah', 'tinggi', 'tumpuk'],
    };
    expect(await index.findDuplicate(probe, DEFAULT_DUPLICATE_POLICY)).toMatchObject({
      id: id(10),
      basis: 'text',
    });
    await index.close(id(10));
    expect(await index.findDuplicate(probe, DEFAULT_DUPLICATE_POLICY)).toBeUndefined();
  });
});
