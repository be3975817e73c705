import type { CrmCategory, Opd } from '@aduan/reference-data';
import type { RoutingRule, RoutingRules, RuleTarget } from './rules';

export const DEFAULT_RULES_VERSION = 1;
const DEFAULT_PRIORITY = 100;

/** Units with a kota-level Suku Dinas (or kota office) that takes the disposition. */
const HAS_KOTA_OFFICE = new Set(['dinas', 'satuan']);

export function slug(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function targetFor(code: string, opds: ReadonlyMap<string, Opd>): RuleTarget {
  if (code === 'KELURAHAN' || code === 'KECAMATAN' || code === 'KOTA_ADM') return { kind: code };
  const type = opds.get(code)?.type;
  return type && HAS_KOTA_OFFICE.has(type) ? { kind: 'SUKU_DINAS', opd: code } : { kind: 'OPD', opd: code };
}

/**
 * One rule per category: its primary `route_to` (editorial mapping, see the reference-data
 * NOTICE). Admins refine it with more specific, higher-priority rules (per kota, kelurahan, channel).
 */
export function defaultRoutingRules(categories: readonly CrmCategory[], opds: readonly Opd[]): RoutingRules {
  const byCode = new Map(opds.map((o) => [o.code, o]));
  const rules: RoutingRule[] = [];
  for (const category of categories) {
    const primary = category.route_to[0];
    if (!primary) continue;
    rules.push({
      id: `default.${slug(category.name)}`,
      match: { category: category.name },
      target: targetFor(primary, byCode),
      priority: DEFAULT_PRIORITY,
      note: 'route_to[0] of crm-categories.json',
    });
  }
  return { version: DEFAULT_RULES_VERSION, rules };
}
