import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';

/** A DataSource or a transaction's EntityManager. */
interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/** A refresh token lives half a working day unless it is used (and so replaced) before. */
export const REFRESH_TTL_SECONDS = 12 * 60 * 60;

export interface Issued {
  officerId: string;
  sessionId: string;
  refreshToken: string;
  refreshExpiresAt: Date;
}

/** Why a refresh token bought nothing; every one is a 401 to the caller. */
export type RefreshRefusal = 'unknown' | 'expired' | 'reused' | 'revoked';

export class RefreshRefused extends Error {
  constructor(
    readonly reason: RefreshRefusal,
    /** Whose session a reused token ended, for the audit log. */
    readonly officerId?: string,
  ) {
    super(
      {
        unknown: 'the refresh token is not known',
        expired: 'the refresh token expired; sign in again',
        reused: 'the refresh token was already used; the session is ended, sign in again',
        revoked: 'the session was ended (signed out or account disabled); sign in again',
      }[reason],
    );
  }
}

const hash = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Officer sessions: one per sign-in, with refresh tokens that rotate on every use. The tokens are
 * kept only as hashes; presenting one that was already used ends its whole session, as only a
 * stolen copy can be presented twice (ADR 0057).
 */
export class Sessions {
  constructor(
    private readonly db: DataSource,
    private readonly now: () => Date,
  ) {}

  async open(officerId: string): Promise<Issued> {
    const sessionId = randomUUID();
    const at = this.now();
    await this.db.query('INSERT INTO officer_session (id, officer_id, created_at) VALUES ($1, $2, $3)', [
      sessionId,
      officerId,
      at,
    ]);
    return { officerId, sessionId, ...(await this.newRefreshToken(this.db, sessionId, at)) };
  }

  /** Trades a refresh token for its successor in the same session. */
  async refresh(refreshToken: string): Promise<Issued> {
    const at = this.now();
    const outcome = await this.db.transaction(async (tx): Promise<Issued | RefreshRefused> => {
      const [row] = (await tx.query(
        `SELECT r.session_id, r.expires_at, r.used_at, s.officer_id, s.revoked_at, o.disabled_at
           FROM officer_refresh_token r
           JOIN officer_session s ON s.id = r.session_id
           JOIN officer o ON o.id = s.officer_id
          WHERE r.token_hash = $1
          FOR UPDATE OF r, s`,
        [hash(refreshToken)],
      )) as Array<{
        session_id: string;
        expires_at: Date;
        used_at: Date | null;
        officer_id: string;
        revoked_at: Date | null;
        disabled_at: Date | null;
      }>;
      if (!row) return new RefreshRefused('unknown');
      if (row.revoked_at || row.disabled_at) return new RefreshRefused('revoked');
      if (row.used_at) {
        // Committed, not rolled back with the refusal: the family stays revoked.
        await this.revokeIn(tx, 'session', row.session_id, 'refresh token reused', at);
        return new RefreshRefused('reused', row.officer_id);
      }
      if (row.expires_at.getTime() <= at.getTime()) return new RefreshRefused('expired');
      await tx.query('UPDATE officer_refresh_token SET used_at = $2 WHERE token_hash = $1', [
        hash(refreshToken),
        at,
      ]);
      return {
        officerId: row.officer_id,
        sessionId: row.session_id,
        ...(await this.newRefreshToken(tx, row.session_id, at)),
      };
    });
    if (outcome instanceof RefreshRefused) throw outcome;
    return outcome;
  }

  /** Whether a token of this session may still act: not signed out, the account not disabled. */
  async active(sessionId: string, officerId: string): Promise<boolean> {
    const rows = (await this.db.query(
      `SELECT 1 FROM officer_session s JOIN officer o ON o.id = s.officer_id
        WHERE s.id = $1 AND s.officer_id = $2 AND s.revoked_at IS NULL AND o.disabled_at IS NULL`,
      [sessionId, officerId],
    )) as unknown[];
    return rows.length > 0;
  }

  async revoke(sessionId: string, reason: string): Promise<void> {
    await this.revokeIn(this.db, 'session', sessionId, reason, this.now());
  }

  /** Ends every session of an officer: sign-out everywhere, a disabled account. */
  async revokeAll(officerId: string, reason: string): Promise<number> {
    return this.revokeIn(this.db, 'officer', officerId, reason, this.now());
  }

  private async revokeIn(
    q: Queryable,
    by: 'session' | 'officer',
    id: string,
    reason: string,
    at: Date,
  ): Promise<number> {
    const column = by === 'session' ? 'id' : 'officer_id';
    const rows = (await q.query(
      `UPDATE officer_session SET revoked_at = $2, revoked_reason = $3
        WHERE ${column} = $1 AND revoked_at IS NULL RETURNING id`,
      [id, at, reason],
    )) as [unknown[], number] | unknown[];
    // TypeORM answers an UPDATE … RETURNING with [rows, count].
    const [list] = rows as [unknown[], number];
    return Array.isArray(list) ? list.length : 0;
  }

  private async newRefreshToken(
    q: Queryable,
    sessionId: string,
    at: Date,
  ): Promise<{ refreshToken: string; refreshExpiresAt: Date }> {
    const refreshToken = randomBytes(32).toString('base64url');
    const refreshExpiresAt = new Date(at.getTime() + REFRESH_TTL_SECONDS * 1000);
    await q.query(
      'INSERT INTO officer_refresh_token (token_hash, session_id, issued_at, expires_at) VALUES ($1, $2, $3, $4)',
      [hash(refreshToken), sessionId, at, refreshExpiresAt],
    );
    return { refreshToken, refreshExpiresAt };
  }
}
