import { randomUUID } from 'node:crypto';
import type { Logger } from '@aduan/platform';
import type { DataSource } from 'typeorm';
import { hashPassword } from '../auth/password';
import type { Role } from '../lifecycle/state-machine';
import { ApiError } from './api-error';

export interface UnitView {
  code: string;
  name: string;
  kind: string;
  parent: string | null;
}

export interface OfficerView {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  unit: UnitView | null;
  capacity: number;
  /** A disabled account cannot sign in, and its tokens stop working at once (ADR 0057). */
  disabled: boolean;
  /** An admin reset the password: the officer signs in once with it to choose a new one (ADR 0075). */
  mustChangePassword: boolean;
}

interface OfficerRow {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  capacity: number;
  password_hash: string;
  disabled_at: Date | null;
  password_one_time_until: Date | null;
  unit_code: string | null;
  unit_name: string | null;
  unit_kind: string | null;
  unit_parent: string | null;
}

const SELECT = `SELECT o.id, o.username, o.display_name, o.role, o.capacity, o.password_hash, o.disabled_at,
                       o.password_one_time_until,
                       u.code AS unit_code, u.name AS unit_name, u.kind AS unit_kind, u.parent_code AS unit_parent
                  FROM officer o LEFT JOIN unit u ON u.code = o.unit_code`;

function view(r: OfficerRow): OfficerView {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    unit: r.unit_code
      ? { code: r.unit_code, name: r.unit_name!, kind: r.unit_kind!, parent: r.unit_parent }
      : null,
    capacity: r.capacity,
    disabled: r.disabled_at !== null,
    mustChangePassword: r.password_one_time_until !== null,
  };
}

export interface NewOfficer {
  username: string;
  password: string;
  displayName: string;
  role: Role;
  unit?: string;
  capacity?: number;
}

export interface OfficerChange {
  displayName?: string;
  role?: Role;
  /** A unit code, or null to take the unit away. */
  unit?: string | null;
  capacity?: number;
}

export class Officers {
  constructor(private readonly db: DataSource) {}

  async byUsername(
    username: string,
  ): Promise<(OfficerView & { passwordHash: string; oneTimeUntil: Date | null }) | null> {
    const [row] = (await this.db.query(`${SELECT} WHERE o.username = $1`, [
      username.toLowerCase(),
    ])) as OfficerRow[];
    return row
      ? { ...view(row), passwordHash: row.password_hash, oneTimeUntil: row.password_one_time_until }
      : null;
  }

  async byId(id: string): Promise<OfficerView | null> {
    const [row] = (await this.db.query(`${SELECT} WHERE o.id = $1`, [id])) as OfficerRow[];
    return row ? view(row) : null;
  }

  async list(): Promise<OfficerView[]> {
    return ((await this.db.query(`${SELECT} ORDER BY o.username`)) as OfficerRow[]).map(view);
  }

  async create(o: NewOfficer): Promise<OfficerView> {
    if (o.role === 'unit_officer' && !o.unit)
      throw new ApiError(400, 'UNKNOWN_UNIT', 'a unit_officer needs a unit');
    if (o.unit && !(await this.unit(o.unit)))
      throw new ApiError(400, 'UNKNOWN_UNIT', `no unit with code ${o.unit}`);
    const id = randomUUID();
    const inserted = (await this.db.query(
      `INSERT INTO officer (id, username, display_name, role, unit_code, capacity, password_hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (username) DO NOTHING RETURNING id`,
      [
        id,
        o.username.toLowerCase(),
        o.displayName,
        o.role,
        o.unit ?? null,
        o.capacity ?? 10,
        await hashPassword(o.password),
      ],
    )) as unknown[];
    if (!inserted.length) throw new ApiError(409, 'USERNAME_TAKEN', `username ${o.username} is taken`);
    return (await this.byId(id))!;
  }

  /** Disables or re-enables an account; answers the account, or null when there is none. */
  async setDisabled(id: string, disabled: boolean, at: Date): Promise<OfficerView | null> {
    await this.db.query(
      `UPDATE officer SET disabled_at = CASE WHEN $2 THEN coalesce(disabled_at, $3) ELSE NULL END WHERE id = $1`,
      [id, disabled, at],
    );
    return this.byId(id);
  }

  /**
   * Applies an admin's change of role, unit, capacity or name; answers the account before and
   * after, or null when there is none. The resulting account must still make sense: a
   * unit_officer keeps a unit.
   */
  async update(
    id: string,
    change: OfficerChange,
  ): Promise<{ before: OfficerView; after: OfficerView } | null> {
    const before = await this.byId(id);
    if (!before) return null;
    const unit = change.unit === undefined ? (before.unit?.code ?? null) : change.unit;
    const role = change.role ?? before.role;
    if (role === 'unit_officer' && !unit)
      throw new ApiError(400, 'UNKNOWN_UNIT', 'a unit_officer needs a unit', { problems: ['unit'] });
    if (change.unit && !(await this.unit(change.unit)))
      throw new ApiError(400, 'UNKNOWN_UNIT', `no unit with code ${change.unit}`, { problems: ['unit'] });
    await this.db.query(
      `UPDATE officer SET role = $2, unit_code = $3, capacity = $4, display_name = $5 WHERE id = $1`,
      [id, role, unit, change.capacity ?? before.capacity, change.displayName ?? before.displayName],
    );
    return { before, after: (await this.byId(id))! };
  }

  /** Replaces the password with a one-time one, good until `until`; null when there is no such account. */
  async setOneTimePassword(id: string, password: string, until: Date): Promise<OfficerView | null> {
    await this.db.query('UPDATE officer SET password_hash = $2, password_one_time_until = $3 WHERE id = $1', [
      id,
      await hashPassword(password),
      until,
    ]);
    return this.byId(id);
  }

  /** The officer's own new password, which ends a one-time one. */
  async setPassword(id: string, password: string): Promise<void> {
    await this.db.query(
      'UPDATE officer SET password_hash = $2, password_one_time_until = NULL WHERE id = $1',
      [id, await hashPassword(password)],
    );
  }

  async unit(code: string): Promise<UnitView | null> {
    const [u] = (await this.db.query(
      `SELECT code, name, kind, parent_code AS parent FROM unit WHERE code = $1`,
      [code],
    )) as UnitView[];
    return u ?? null;
  }

  async units(): Promise<UnitView[]> {
    return (await this.db.query(
      `SELECT code, name, kind, parent_code AS parent FROM unit ORDER BY code`,
    )) as UnitView[];
  }

  async anyAccount(): Promise<boolean> {
    const rows = (await this.db.query('SELECT 1 FROM officer LIMIT 1')) as unknown[];
    return rows.length > 0;
  }

  /**
   * The first admin, from OFFICER_BOOTSTRAP_ADMIN, only while there is no account at all; an
   * advisory lock keeps two instances starting together from both creating one.
   */
  async bootstrapAdmin(spec: string | undefined, logger: Logger): Promise<void> {
    if (!spec) return;
    const at = spec.indexOf(':');
    const username = spec.slice(0, at).trim();
    const password = spec.slice(at + 1);
    if (at < 1 || password.length < 8) {
      logger.warn(
        'OFFICER_BOOTSTRAP_ADMIN must be username:password with a password of at least 8 characters; no admin created',
      );
      return;
    }
    await this.db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('officer-bootstrap'))`);
      const [{ count }] = (await tx.query('SELECT count(*)::int AS count FROM officer')) as Array<{
        count: number;
      }>;
      if (count > 0) return;
      await tx.query(
        `INSERT INTO officer (id, username, display_name, role, capacity, password_hash) VALUES ($1, $2, $3, 'admin', 0, $4)`,
        [randomUUID(), username.toLowerCase(), 'Administrator', await hashPassword(password)],
      );
      logger.info('created the first admin account from OFFICER_BOOTSTRAP_ADMIN', { username });
    });
  }
}
