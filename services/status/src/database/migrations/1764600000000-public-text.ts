import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { IdentityVault } from '../../vault/identity-vault';
import { publicTextOf } from '../../reports/public-text';

interface Row {
  id: string;
  text: string;
  visibility: string;
  sealed: string | null;
}

const PAGE = 500;

/**
 * Adds `report.public_text`, the complaint as the public may read it (docs/adr/0037), and
 * derives it for every existing report. The reporter's names are only in the vault, so the
 * migration is built with its key, like the one that introduced the vault.
 */
export function derivePublicTexts(vault: IdentityVault) {
  return class PublicText1764600000000 implements MigrationInterface {
    name = 'PublicText1764600000000';

    async up(db: QueryRunner): Promise<void> {
      await db.query(`ALTER TABLE report ADD COLUMN public_text text`);
      await db.query(
        `COMMENT ON COLUMN report.public_text IS 'What every public surface shows of the complaint; never show text there (ADR 0037)'`,
      );
      for (let after = ''; ;) {
        const rows = (await db.query(
          `SELECT r.id, r.text, r.visibility, rr.sealed FROM report r
             LEFT JOIN report_reporter rr ON rr.report_id = r.id
            WHERE r.text IS NOT NULL AND r.id::text > $1 ORDER BY r.id::text LIMIT ${PAGE}`,
          [after],
        )) as Row[];
        for (const row of rows) {
          const reporter = row.sealed ? vault.open(row.id, row.sealed).reporter : { anonymous: true };
          await db.query(`UPDATE report SET public_text = $2 WHERE id = $1`, [
            row.id,
            publicTextOf({ text: row.text, visibility: row.visibility as 'public' | 'private', reporter }),
          ]);
        }
        if (rows.length < PAGE) break;
        after = rows[rows.length - 1]!.id;
      }
    }

    async down(db: QueryRunner): Promise<void> {
      await db.query(`ALTER TABLE report DROP COLUMN public_text`);
    }
  };
}
