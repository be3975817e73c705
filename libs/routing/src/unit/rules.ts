/**
 * Category + area → responsible unit, as data. The router service keeps a versioned rule
 * set in Postgres that CRM admins edit; this module only validates and evaluates it.
 */

export type RuleTarget =
  /** The provincial unit itself (e.g. Inspektorat, PAM JAYA). */
  | { readonly kind: 'OPD'; readonly opd: string }
  /** The unit's Suku Dinas (or kota-level office) for the report's kota; the OPD itself when the kota is unknown. */
  | { readonly kind: 'SUKU_DINAS'; readonly opd: string }
  | { readonly kind: 'KELURAHAN' }
  | { readonly kind: 'KECAMATAN' }
  | { readonly kind: 'KOTA_ADM' };

export interface RuleMatch {
  readonly category?: string;
  readonly kotaKode?: string;
  readonly kecamatanKode?: string;
  readonly kelurahanKode?: string;
  readonly channel?: string;
}

export interface RoutingRule {
  readonly id: string;
  readonly match: RuleMatch;
  readonly target: RuleTarget;
  /** Higher wins; among equals the more specific match wins. */
  readonly priority: number;
  readonly enabled?: boolean;
  readonly note?: string;
}

export interface RoutingRules {
  readonly version: number;
  readonly rules: readonly RoutingRule[];
}

export interface RuleFacts {
  readonly category: string;
  readonly kelurahanKode?: string;
  readonly kecamatanKode?: string;
  readonly kotaKode?: string;
  readonly channel?: string;
}

export type UnitLevel = 'provinsi' | 'kota' | 'kecamatan' | 'kelurahan';

export interface ResolvedUnit {
  /** OPD code from opd.json (e.g. DBM, KELURAHAN). */
  readonly opd: string;
  readonly level: UnitLevel;
  /** The wilayah the unit serves, when it is a regional office. */
  readonly wilayahKode?: string;
  readonly label: string;
}

export interface RuleEvaluation {
  readonly rule: RoutingRule;
  readonly unit: ResolvedUnit;
}

/** Names the resolver needs: OPD names by code, wilayah names by Kemendagri code. */
export interface UnitNames {
  opdName(code: string): string | undefined;
  wilayahName(kode: string): string | undefined;
}

const MATCH_KEYS = ['category', 'kotaKode', 'kecamatanKode', 'kelurahanKode', 'channel'] as const;

function matches(rule: RoutingRule, facts: RuleFacts): boolean {
  if (rule.enabled === false) return false;
  return MATCH_KEYS.every((key) => rule.match[key] === undefined || rule.match[key] === facts[key]);
}

function specificity(rule: RoutingRule): number {
  return MATCH_KEYS.filter((key) => rule.match[key] !== undefined).length;
}

/** The winning rule for these facts, or undefined when none matches. */
export function selectRule(rules: RoutingRules, facts: RuleFacts): RoutingRule | undefined {
  let best: RoutingRule | undefined;
  for (const rule of rules.rules) {
    if (!matches(rule, facts)) continue;
    if (
      !best ||
      rule.priority > best.priority ||
      (rule.priority === best.priority &&
        (specificity(rule) > specificity(best) ||
          (specificity(rule) === specificity(best) && rule.id < best.id)))
    ) {
      best = rule;
    }
  }
  return best;
}

export function resolveTarget(target: RuleTarget, facts: RuleFacts, names: UnitNames): ResolvedUnit {
  const wilayah = (kode: string | undefined): string => (kode ? (names.wilayahName(kode) ?? kode) : '');
  switch (target.kind) {
    case 'KELURAHAN':
      return facts.kelurahanKode
        ? {
            opd: 'KELURAHAN',
            level: 'kelurahan',
            wilayahKode: facts.kelurahanKode,
            label: `Kelurahan ${wilayah(facts.kelurahanKode)}`,
          }
        : { opd: 'KELURAHAN', level: 'kelurahan', label: 'Kelurahan (lokasi belum diketahui)' };
    case 'KECAMATAN':
      return facts.kecamatanKode
        ? {
            opd: 'KECAMATAN',
            level: 'kecamatan',
            wilayahKode: facts.kecamatanKode,
            label: `Kecamatan ${wilayah(facts.kecamatanKode)}`,
          }
        : { opd: 'KECAMATAN', level: 'kecamatan', label: 'Kecamatan (lokasi belum diketahui)' };
    case 'KOTA_ADM':
      return facts.kotaKode
        ? { opd: 'KOTA_ADM', level: 'kota', wilayahKode: facts.kotaKode, label: wilayah(facts.kotaKode) }
        : { opd: 'KOTA_ADM', level: 'kota', label: 'Kota Administrasi (lokasi belum diketahui)' };
    case 'SUKU_DINAS': {
      const name = names.opdName(target.opd) ?? target.opd;
      if (!facts.kotaKode) return { opd: target.opd, level: 'provinsi', label: name };
      const office = name.startsWith('Dinas ') ? `Suku ${name}` : name;
      return {
        opd: target.opd,
        level: 'kota',
        wilayahKode: facts.kotaKode,
        label: `${office} ${wilayah(facts.kotaKode)}`,
      };
    }
    case 'OPD':
      return { opd: target.opd, level: 'provinsi', label: names.opdName(target.opd) ?? target.opd };
  }
}

export function evaluateRules(
  rules: RoutingRules,
  facts: RuleFacts,
  names: UnitNames,
): RuleEvaluation | undefined {
  const rule = selectRule(rules, facts);
  return rule ? { rule, unit: resolveTarget(rule.target, facts, names) } : undefined;
}

export class RoutingRulesError extends Error {
  override readonly name = 'RoutingRulesError';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(record: Record<string, unknown>, key: string, where: string): string | undefined {
  const value = record[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value === '')
    throw new RoutingRulesError(`${where}.${key} must be a non-empty string`);
  return value;
}

function parseTarget(value: unknown, where: string): RuleTarget {
  if (!isRecord(value)) throw new RoutingRulesError(`${where}.target must be an object`);
  const kind = value['kind'];
  if (kind === 'KELURAHAN' || kind === 'KECAMATAN' || kind === 'KOTA_ADM') return { kind };
  if (kind === 'OPD' || kind === 'SUKU_DINAS') {
    const opd = optionalString(value, 'opd', `${where}.target`);
    if (!opd) throw new RoutingRulesError(`${where}.target.opd is required for ${kind}`);
    return { kind, opd };
  }
  throw new RoutingRulesError(
    `${where}.target.kind must be OPD, SUKU_DINAS, KELURAHAN, KECAMATAN or KOTA_ADM`,
  );
}

/**
 * Validates a rule set coming from storage or an admin form. `knownOpds`, when given,
 * rejects targets that name no OPD; `knownCategories` rejects misspelt categories.
 */
export function parseRoutingRules(
  value: unknown,
  known: { readonly opds?: ReadonlySet<string>; readonly categories?: ReadonlySet<string> } = {},
): RoutingRules {
  if (!isRecord(value)) throw new RoutingRulesError('rules must be an object');
  const version = value['version'];
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    throw new RoutingRulesError('version must be a non-negative integer');
  }
  const list = value['rules'];
  if (!Array.isArray(list)) throw new RoutingRulesError('rules must be an array');
  const ids = new Set<string>();
  const rules = list.map((raw, i): RoutingRule => {
    const where = `rules[${i}]`;
    if (!isRecord(raw)) throw new RoutingRulesError(`${where} must be an object`);
    const id = optionalString(raw, 'id', where);
    if (!id) throw new RoutingRulesError(`${where}.id is required`);
    if (ids.has(id)) throw new RoutingRulesError(`${where}.id "${id}" is duplicated`);
    ids.add(id);
    const rawMatch = raw['match'] ?? {};
    if (!isRecord(rawMatch)) throw new RoutingRulesError(`${where}.match must be an object`);
    const match: Record<string, string> = {};
    for (const key of MATCH_KEYS) {
      const v = optionalString(rawMatch, key, `${where}.match`);
      if (v !== undefined) match[key] = v;
    }
    if (match['category'] && known.categories && !known.categories.has(match['category'])) {
      throw new RoutingRulesError(`${where}.match.category "${match['category']}" is not a known category`);
    }
    const target = parseTarget(raw['target'], where);
    if ('opd' in target && known.opds && !known.opds.has(target.opd)) {
      throw new RoutingRulesError(`${where}.target.opd "${target.opd}" is not a known OPD`);
    }
    const priority = raw['priority'] ?? 0;
    if (typeof priority !== 'number' || !Number.isFinite(priority))
      throw new RoutingRulesError(`${where}.priority must be a number`);
    const enabled = raw['enabled'];
    if (enabled !== undefined && typeof enabled !== 'boolean')
      throw new RoutingRulesError(`${where}.enabled must be a boolean`);
    const note = optionalString(raw, 'note', where);
    return {
      id,
      match,
      target,
      priority,
      ...(enabled !== undefined ? { enabled } : {}),
      ...(note ? { note } : {}),
    };
  });
  return { version, rules };
}
