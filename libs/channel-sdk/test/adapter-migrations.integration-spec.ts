import { createTestDatabase, type TestDatabase } from '@aduan/testing';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { migrateAdapterTables, openChannelStore, type ChannelStore } from '../src';

class AdapterNotes1700000000000 implements MigrationInterface {
  name = 'AdapterNotes1700000000000';
  async up(db: QueryRunner): Promise<void> {
    await db.query('CREATE TABLE adapter_note (id text PRIMARY KEY)');
  }
  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE adapter_note');
  }
}

describe("an adapter's own tables in the channel store's database", () => {
  let db: TestDatabase;
  let store: ChannelStore | undefined;
  beforeAll(async () => {
    db = await createTestDatabase('adapter_tables');
  });
  afterAll(async () => {
    await store?.close();
    await db.drop();
  });

  it('are created at the first start, left as they are at the next, and kept apart from the kit’s history', async () => {
    store = await openChannelStore({ url: db.url, secret: 's' });
    const migrate = () =>
      migrateAdapterTables({
        url: db.url,
        migrations: [AdapterNotes1700000000000],
        historyTable: 'adapter_migrations',
      });
    await migrate();
    await store.db.query(`INSERT INTO adapter_note (id) VALUES ('kept')`);
    // A restart applies nothing again: the table and its rows stay.
    await migrate();
    expect(await store.db.query('SELECT id FROM adapter_note')).toEqual([{ id: 'kept' }]);
    expect(await store.db.query('SELECT name FROM adapter_migrations')).toEqual([
      { name: 'AdapterNotes1700000000000' },
    ]);
    const kit = (await store.db.query('SELECT name FROM channel_sdk_migrations')) as Array<{ name: string }>;
    expect(kit.length).toBeGreaterThan(0);
    expect(kit.map((m) => m.name)).not.toContain('AdapterNotes1700000000000');
  });
});
