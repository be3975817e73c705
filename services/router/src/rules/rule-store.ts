import { parseRoutingRules, type RoutingRule, type RoutingRules } from '@aduan/routing';
import type { DataSource } from 'typeorm';

const INT4_MAX = 2_147_483_647;

export interface RuleSetVersion {
  version: number;
  createdAt: string;
  createdBy: string;
  note: string | null;
  ruleCount: number;
}

export interface AuditEntry {
  id: number;
  version: number;
  actor: string;
  action: string;
  /** A rollback's summary also names the version it restored. */
  summary: { added: string[]; removed: string[]; changed: string[]; restores?: number };
  at: string;
}

export interface KnownNames {
  opds: ReadonlySet<string>;
  categories: ReadonlySet<string>;
}

/**
 * The versioned rule sets CRM admins edit. A change writes a whole new version (never an
 * update in place) and an audit row naming who changed which rules; the router picks the
 * newest version up within `refreshMs`, on every instance, without a restart.
 */
export class RuleStore {
  private cached: RoutingRules | undefined;
  private checkedAt = 0;

  constructor(
    private readonly db: DataSource,
    private readonly known: KnownNames,
    private readonly refreshMs = 2000,
  ) {}

  /** Installs the default rules as version 1 on a fresh database. */
  async seed(defaults: RoutingRules): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query('LOCK TABLE routing_rule_set IN EXCLUSIVE MODE');
      const [{ count }] = (await tx.query('SELECT count(*)::int AS count FROM routing_rule_set')) as Array<{
        count: number;
      }>;
      if (count > 0) return;
      await tx.query(
        `INSERT INTO routing_rule_set (version, rules, created_by, note) VALUES (1, $1, 'system', $2)`,
        [JSON.stringify(defaults.rules), 'default rules: the primary unit of each category'],
      );
      await tx.query(
        `INSERT INTO routing_rule_audit (version, actor, action, summary) VALUES (1, 'system', 'seed', $1)`,
        [JSON.stringify({ added: defaults.rules.map((r) => r.id), removed: [], changed: [] })],
      );
    });
  }

  async current(now = Date.now()): Promise<RoutingRules> {
    if (this.cached && now - this.checkedAt < this.refreshMs) return this.cached;
    const [{ version }] = (await this.db.query(
      'SELECT max(version) AS version FROM routing_rule_set',
    )) as Array<{ version: number | null }>;
    if (version === null) throw new Error('no routing rules stored; the router seeds them at start-up');
    if (!this.cached || this.cached.version !== version) this.cached = await this.get(version);
    this.checkedAt = now;
    return this.cached!;
  }

  async get(version: number): Promise<RoutingRules> {
    // Versions are Postgres integers: a larger number would fail the query instead of matching nothing.
    if (!Number.isInteger(version) || version < 1 || version > INT4_MAX)
      throw new RuleVersionNotFound(version);
    const [row] = (await this.db.query('SELECT version, rules FROM routing_rule_set WHERE version = $1', [
      version,
    ])) as Array<{
      version: number;
      rules: unknown;
    }>;
    if (!row) throw new RuleVersionNotFound(version);
    return parseRoutingRules({ version: row.version, rules: row.rules });
  }

  /**
   * Validates and stores a new version. `basedOn`, when given, must be the current version:
   * two admins editing at once cannot silently overwrite each other.
   */
  async replace(
    rules: unknown,
    actor: string,
    opts: { note?: string; basedOn?: number } = {},
  ): Promise<RoutingRules> {
    return this.store(rules, actor, opts, 'replace');
  }

  /** A draft checked as a new version would be, without storing it (the editor's preview). */
  draft(rules: unknown): RoutingRules {
    return parseRoutingRules({ version: 0, rules }, this.known);
  }

  /**
   * Puts an earlier version back in force as a new version with the same rules: history only
   * grows, and routed events decided meanwhile keep naming the version that decided them.
   */
  async rollback(
    to: number,
    actor: string,
    opts: { note?: string; basedOn?: number } = {},
  ): Promise<RoutingRules> {
    const earlier = await this.get(to);
    return this.store(
      earlier.rules,
      actor,
      { ...opts, note: opts.note ?? `rollback to version ${to}` },
      'rollback',
      to,
    );
  }

  private async store(
    rules: unknown,
    actor: string,
    opts: { note?: string; basedOn?: number },
    action: 'replace' | 'rollback',
    restores?: number,
  ): Promise<RoutingRules> {
    const saved = await this.db.transaction(async (tx) => {
      await tx.query('LOCK TABLE routing_rule_set IN EXCLUSIVE MODE');
      const [{ version: latest }] = (await tx.query(
        'SELECT coalesce(max(version), 0) AS version FROM routing_rule_set',
      )) as Array<{
        version: number;
      }>;
      if (opts.basedOn !== undefined && opts.basedOn !== latest) throw new StaleRuleSet(opts.basedOn, latest);
      const version = latest + 1;
      const parsed = parseRoutingRules({ version, rules }, this.known);
      // Read inside the transaction: waiting for a second pool connection while holding the lock
      // on this one starves a busy pool (and deadlocks a pool of one).
      const [stored] = (await tx.query('SELECT rules FROM routing_rule_set WHERE version = $1', [
        latest,
      ])) as Array<{ rules: unknown }>;
      // Parsed again, so that the diff compares rules in one shape, not jsonb's key order.
      const previous = stored ? parseRoutingRules({ version: latest, rules: stored.rules }).rules : [];
      await tx.query(
        'INSERT INTO routing_rule_set (version, rules, created_by, note) VALUES ($1, $2, $3, $4)',
        [version, JSON.stringify(parsed.rules), actor, opts.note ?? null],
      );
      await tx.query(
        `INSERT INTO routing_rule_audit (version, actor, action, summary) VALUES ($1, $2, $3, $4)`,
        [
          version,
          actor,
          action,
          JSON.stringify({ ...diffRules(previous, parsed.rules), ...(restores ? { restores } : {}) }),
        ],
      );
      return parsed;
    });
    this.cached = saved;
    this.checkedAt = Date.now();
    return saved;
  }

  async versions(): Promise<RuleSetVersion[]> {
    const rows = (await this.db.query(
      `SELECT version, created_at, created_by, note, jsonb_array_length(rules) AS rule_count
         FROM routing_rule_set ORDER BY version DESC`,
    )) as Array<{
      version: number;
      created_at: Date;
      created_by: string;
      note: string | null;
      rule_count: number;
    }>;
    return rows.map((r) => ({
      version: r.version,
      createdAt: r.created_at.toISOString(),
      createdBy: r.created_by,
      note: r.note,
      ruleCount: r.rule_count,
    }));
  }

  async audit(limit = 100): Promise<AuditEntry[]> {
    const rows = (await this.db.query(
      'SELECT id, version, actor, action, summary, at FROM routing_rule_audit ORDER BY id DESC LIMIT $1',
      [limit],
    )) as Array<{
      id: string;
      version: number;
      actor: string;
      action: string;
      summary: AuditEntry['summary'];
      at: Date;
    }>;
    return rows.map((r) => ({ ...r, id: Number(r.id), at: r.at.toISOString() }));
  }
}

export class RuleVersionNotFound extends Error {
  constructor(readonly version: number) {
    super(`rule set version ${version} does not exist`);
  }
}

export class StaleRuleSet extends Error {
  constructor(
    readonly basedOn: number,
    readonly latest: number,
  ) {
    super(`the rules were changed meanwhile: you edited version ${basedOn}, the current one is ${latest}`);
  }
}

export function diffRules(
  before: readonly RoutingRule[],
  after: readonly RoutingRule[],
): AuditEntry['summary'] {
  const old = new Map(before.map((r) => [r.id, JSON.stringify(r)]));
  const now = new Map(after.map((r) => [r.id, JSON.stringify(r)]));
  return {
    added: [...now.keys()].filter((id) => !old.has(id)),
    removed: [...old.keys()].filter((id) => !now.has(id)),
    changed: [...now.keys()].filter((id) => old.has(id) && old.get(id) !== now.get(id)),
  };
}
