import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Officer accounts that can be disabled, sessions whose refresh tokens rotate and can be
 * revoked, and the key the status service signs access tokens with (ADR 0057). Refresh tokens
 * are kept as SHA-256 hashes only: a copy of the table lets nobody in.
 */
export class OfficerSessions1765570000000 implements MigrationInterface {
  name = 'OfficerSessions1765570000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE officer ADD COLUMN disabled_at timestamptz');
    // One session per sign-in; its refresh tokens form one family, revoked together.
    await db.query(`
      CREATE TABLE officer_session (
        id             uuid PRIMARY KEY,
        officer_id     uuid NOT NULL REFERENCES officer(id),
        created_at     timestamptz NOT NULL,
        revoked_at     timestamptz,
        revoked_reason text
      )`);
    await db.query(
      'CREATE INDEX officer_session_officer_idx ON officer_session (officer_id) WHERE revoked_at IS NULL',
    );
    await db.query(`
      CREATE TABLE officer_refresh_token (
        token_hash  text PRIMARY KEY,
        session_id  uuid NOT NULL REFERENCES officer_session(id),
        issued_at   timestamptz NOT NULL,
        expires_at  timestamptz NOT NULL,
        used_at     timestamptz
      )`);
    // Generated on first start when OFFICER_SIGNING_KEY is not set; every row's public half is
    // served in the JWKS, so an older key keeps verifying the tokens it signed until they expire.
    await db.query(`
      CREATE TABLE officer_signing_key (
        kid          text PRIMARY KEY,
        private_pem  text NOT NULL,
        public_jwk   jsonb NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE officer_signing_key');
    await db.query('DROP TABLE officer_refresh_token');
    await db.query('DROP TABLE officer_session');
    await db.query('ALTER TABLE officer DROP COLUMN disabled_at');
  }
}
