import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { Reporter } from '@aduan/contracts';
import type { IdentityVault } from '../../vault/identity-vault';

interface PlainRow {
  report_id: string;
  channel: string;
  contact: Reporter;
  reply_to: { sourceId: string; thread: string | null } | null;
}

/**
 * Moves reporter contact data from plain JSON into the vault: each existing row is sealed
 * with REPORTER_DATA_KEY, then the plain columns are dropped. The key is only known at run
 * time, hence a migration built around the vault rather than a static class.
 */
export function sealReporterContacts(vault: IdentityVault) {
  return class SealReporterContacts1764400000001 implements MigrationInterface {
    name = 'SealReporterContacts1764400000001';

    async up(db: QueryRunner): Promise<void> {
      await db.query(`ALTER TABLE report_reporter ADD COLUMN sealed text, ADD COLUMN pseudonym text`);
      const rows = (await db.query(
        `SELECT report_id, channel, contact, reply_to FROM report_reporter`,
      )) as PlainRow[];
      for (const row of rows) {
        await db.query(`UPDATE report_reporter SET sealed = $2, pseudonym = $3 WHERE report_id = $1`, [
          row.report_id,
          vault.seal(row.report_id, { reporter: row.contact, replyTo: row.reply_to }),
          vault.pseudonym(row.report_id, row.channel, row.contact),
        ]);
      }
      await db.query(`ALTER TABLE report_reporter DROP COLUMN contact, DROP COLUMN reply_to`);
      await db.query(
        `ALTER TABLE report_reporter ALTER COLUMN sealed SET NOT NULL, ALTER COLUMN pseudonym SET NOT NULL`,
      );
    }

    async down(): Promise<void> {
      throw new Error('reporter contacts are not decrypted back into plain columns');
    }
  };
}
