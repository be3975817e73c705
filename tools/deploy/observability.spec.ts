import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { productionSources } from './sources';
import { ROOT } from './values';

const DIR = join(ROOT, 'deploy/observability');

const exported = new Set(
  [join(ROOT, 'libs'), join(ROOT, 'services')]
    .flatMap(productionSources)
    .flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/'(aduan_[a-z_]+)'/g)].map((m) => m[1]!)),
);

/** The aduan_* metrics a PromQL expression reads (histogram series mapped to their metric). */
const metricsIn = (expr: string) =>
  [...expr.matchAll(/\b(aduan_[a-z_]+)/g)].map((m) => m[1]!.replace(/_(bucket|sum|count)$/, ''));

interface Rule {
  alert: string;
  expr: string;
  for: string;
  annotations: { summary: string; description: string };
}

describe('deploy/observability', () => {
  const alerts = parse(readFileSync(join(DIR, 'prometheus-alerts.yaml'), 'utf8')) as {
    groups: Array<{ name: string; rules: Rule[] }>;
  };
  const dashboard = JSON.parse(readFileSync(join(DIR, 'grafana-dashboard.json'), 'utf8')) as {
    panels: Array<{ title: string; targets: Array<{ expr: string }> }>;
  };
  const rules = alerts.groups.flatMap((g) => g.rules);

  it('alerts only on metrics the services export, each with a wait, a summary and what to do', () => {
    expect(rules.length).toBeGreaterThan(5);
    for (const rule of rules) {
      expect(rule.alert).toMatch(/^Aduan[A-Z]\w+$/);
      expect(rule.for).toMatch(/^\d+m$/);
      expect(rule.annotations.summary).toBeTruthy();
      expect(rule.annotations.description).toBeTruthy();
      for (const metric of metricsIn(rule.expr))
        expect({ rule: rule.alert, metric, exported: exported.has(metric) }).toEqual({
          rule: rule.alert,
          metric,
          exported: true,
        });
    }
  });

  it('draws only metrics the services export', () => {
    const drawn = dashboard.panels.flatMap((p) => p.targets.flatMap((t) => metricsIn(t.expr)));
    expect(drawn.length).toBeGreaterThan(10);
    expect(drawn.filter((m) => !exported.has(m))).toEqual([]);
  });

  it('covers what an operator is paged for: dead letters, held partitions, lag, saturation, SLA, failing replies', () => {
    const watched = new Set(rules.flatMap((r) => metricsIn(r.expr)));
    for (const metric of [
      'aduan_dlq_depth',
      'aduan_consumer_paused_partitions',
      'aduan_consumer_lag',
      'aduan_intake_saturated_total',
      'aduan_sla_overdue_clocks',
      'aduan_channel_outbound_total',
    ])
      expect(watched).toContain(metric);
  });
});
