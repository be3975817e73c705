import { randomBytes, randomUUID } from 'node:crypto';
import { openDatabase } from '@aduan/persistence';
import { createTestDatabase, type TestDatabase } from '@aduan/testing';
import { ReportStore1764300000000 } from '../src/database/migrations/1764300000000-report-store';
import { statusMigrations } from '../src/database/migrations';
import { IdentityVault } from '../src/vault/identity-vault';

describe('the identity vault migration', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('status_vault');
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('encrypts contact data stored in plain JSON before the vault existed, and drops recipients from the outbox', async () => {
    const before = await openDatabase({
      url: database.url,
      entities: [],
      migrations: [ReportStore1764300000000],
      migrationsTableName: 'status_migrations',
    });
    const id = randomUUID();
    const contact = { name: 'Siti Rahmawati', phone: '+6281234567890', anonymous: false };
    await before.query(
      `INSERT INTO report (id, tracking_code, channel, state) VALUES ($1, 'ABCDE-FGHJK', 'whatsapp', 'RECEIVED')`,
      [id],
    );
    await before.query(
      `INSERT INTO report_reporter (report_id, channel, contact, reply_to) VALUES ($1, 'whatsapp', $2, $3)`,
      [id, JSON.stringify(contact), JSON.stringify({ sourceId: 'wamid.1', thread: null })],
    );
    // A notification written before ADR 0055 named its recipient in clear.
    await before.query(`INSERT INTO outbox (topic, key, payload) VALUES ('aduan.notification.v1', $1, $2)`, [
      id,
      JSON.stringify({
        reportId: id,
        channel: 'whatsapp',
        recipient: { address: '+6281234567890' },
        message: 'x',
      }),
    ]);
    await before.destroy();

    const vault = new IdentityVault(randomBytes(32).toString('base64'));
    const after = await openDatabase({
      url: database.url,
      entities: [],
      migrations: statusMigrations(vault),
      migrationsTableName: 'status_migrations',
    });
    try {
      const [row] = (await after.query('SELECT * FROM report_reporter WHERE report_id = $1', [id])) as Array<
        Record<string, string>
      >;
      expect(Object.keys(row!).sort()).toEqual(['channel', 'created_at', 'pseudonym', 'report_id', 'sealed']);
      expect(JSON.stringify(row)).not.toMatch(/Siti|6281234567890|wamid/);
      // Each reporter's data key is kept apart from the sealed contact (ADR 0055).
      const [key] = (await after.query('SELECT wrapped FROM reporter_key WHERE report_id = $1', [
        id,
      ])) as Array<{
        wrapped: string;
      }>;
      expect(vault.open(id, row!['sealed']!, key!.wrapped)).toEqual({
        reporter: contact,
        replyTo: { sourceId: 'wamid.1', thread: null },
      });
      expect(row!['pseudonym']).toBe(vault.pseudonym(id, 'whatsapp', contact));
      const outbox = (await after.query(`SELECT payload FROM outbox WHERE key = $1`, [id])) as Array<{
        payload: Record<string, unknown>;
      }>;
      expect(outbox.map((o) => o.payload)).toEqual([{ reportId: id, channel: 'whatsapp', message: 'x' }]);
    } finally {
      await after.destroy();
    }
  });
});
