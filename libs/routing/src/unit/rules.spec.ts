import { loadCategories, loadOpds } from '@aduan/reference-data';
import { defaultRoutingRules } from './default-rules';
import {
  RoutingRulesError,
  evaluateRules,
  parseRoutingRules,
  selectRule,
  type RoutingRules,
  type UnitNames,
} from './rules';

const names: UnitNames = {
  opdName: (code) => loadOpds().find((o) => o.code === code)?.name,
  wilayahName: (kode) => ({ '31.74': 'Kota Administrasi Jakarta Selatan', '31.74.03.1002': 'Bangka' })[kode],
};

describe('routing rules', () => {
  const defaults = defaultRoutingRules(loadCategories(), loadOpds());

  it('derives one default rule per category from route_to[0]', () => {
    expect(defaults.rules).toHaveLength(125);
    const jalan = selectRule(defaults, { category: 'Jalan' });
    expect(jalan?.target).toEqual({ kind: 'SUKU_DINAS', opd: 'DBM' });
    expect(selectRule(defaults, { category: 'Jaringan Air Bersih' })?.target).toEqual({
      kind: 'OPD',
      opd: 'BUMD_PAMJAYA',
    });
    expect(selectRule(defaults, { category: 'Fasilitas Sosial/Fasilitas Umum' })?.target).toEqual({
      kind: 'KELURAHAN',
    });
  });

  it('resolves the Suku Dinas of the kota and the kelurahan itself', () => {
    const facts = {
      category: 'Jalan',
      kotaKode: '31.74',
      kecamatanKode: '31.74.03',
      kelurahanKode: '31.74.03.1002',
    };
    expect(evaluateRules(defaults, facts, names)?.unit).toEqual({
      opd: 'DBM',
      level: 'kota',
      wilayahKode: '31.74',
      label: 'Suku Dinas Bina Marga Kota Administrasi Jakarta Selatan',
    });
    const fasum = evaluateRules(defaults, { ...facts, category: 'Fasilitas Sosial/Fasilitas Umum' }, names);
    expect(fasum?.unit).toMatchObject({ opd: 'KELURAHAN', level: 'kelurahan', label: 'Kelurahan Bangka' });
  });

  it('lets a higher-priority or more specific rule win, and skips disabled rules', () => {
    const rules: RoutingRules = {
      version: 7,
      rules: [
        ...defaults.rules,
        {
          id: 'seribu.jalan',
          match: { category: 'Jalan', kotaKode: '31.01' },
          target: { kind: 'KOTA_ADM' },
          priority: 100,
        },
        {
          id: 'off',
          match: { category: 'Jalan' },
          target: { kind: 'OPD', opd: 'SETDA' },
          priority: 999,
          enabled: false,
        },
      ],
    };
    expect(selectRule(rules, { category: 'Jalan', kotaKode: '31.01' })?.id).toBe('seribu.jalan');
    expect(selectRule(rules, { category: 'Jalan', kotaKode: '31.74' })?.id).toBe('default.jalan');
    expect(selectRule(rules, { category: 'No Such Category' })).toBeUndefined();
  });

  it('validates rule sets from storage', () => {
    const opds = new Set(loadOpds().map((o) => o.code));
    const ok = parseRoutingRules(
      {
        version: 2,
        rules: [{ id: 'a', match: { category: 'Jalan' }, target: { kind: 'OPD', opd: 'DBM' }, priority: 5 }],
      },
      { opds },
    );
    expect(ok.rules[0]?.target).toEqual({ kind: 'OPD', opd: 'DBM' });
    expect(() =>
      parseRoutingRules({ version: 1, rules: [{ id: 'a', target: { kind: 'OPD', opd: 'NOPE' } }] }, { opds }),
    ).toThrow(RoutingRulesError);
    expect(() => parseRoutingRules({ version: 1, rules: [{ id: 'a', target: { kind: 'X' } }] })).toThrow(
      /kind/,
    );
    expect(() => parseRoutingRules({ version: 'one', rules: [] })).toThrow(/version/);
    expect(() =>
      parseRoutingRules({
        version: 1,
        rules: [
          { id: 'a', target: { kind: 'KELURAHAN' } },
          { id: 'a', target: { kind: 'KELURAHAN' } },
        ],
      }),
    ).toThrow(/duplicated/);
  });
});
