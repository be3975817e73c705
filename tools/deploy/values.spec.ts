import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { settingsOf } from '../dev/service-settings';
import { composeServices, configOf, NODE_VARIABLES } from './render';
import {
  leafPaths,
  readValues,
  ROOT,
  SETTINGS,
  settingKey,
  settingsTable,
  TABLE_END,
  TABLE_START,
} from './values';

const values = readValues();
const DOC = join(ROOT, 'docs/deploy-kubernetes.md');

describe('deploy/k8s/values.yaml', () => {
  it('holds only documented settings', () => {
    const undocumented = leafPaths(values)
      .map(settingKey)
      .filter((k) => !(k in SETTINGS));
    expect(undocumented).toEqual([]);
  });

  it('the documentation check is live: a misspelt setting is caught', () => {
    const broken = { ...values, defaults: { ...values.defaults, replica: 3 } };
    expect(leafPaths(broken).map(settingKey)).toContain('defaults.replica');
    expect('defaults.replica' in SETTINGS).toBe(false);
  });

  it('names only services that exist', () => {
    const services = Object.keys(composeServices());
    expect(Object.keys(values.services).filter((s) => !services.includes(s))).toEqual([]);
  });

  it('sets through env only variables a service declares, and never a secret', () => {
    const services = Object.keys(composeServices());
    const declaredBy = (name: string) => services.filter((s) => name in settingsOf(s));
    for (const name of Object.keys(values.env)) {
      expect({ name, declared: declaredBy(name).length > 0 }).toEqual({ name, declared: true });
      for (const s of declaredBy(name))
        expect({ name, secret: !!settingsOf(s)[name]!.secret }).toEqual({ name, secret: false });
    }
    for (const [service, own] of Object.entries(values.services))
      for (const name of Object.keys(own.env ?? {}).filter((n) => !NODE_VARIABLES.includes(n))) {
        const setting = settingsOf(service)[name];
        expect({ service, name, declared: !!setting, secret: !!setting?.secret }).toEqual({
          service,
          name,
          declared: true,
          secret: false,
        });
      }
  });

  it("gives a service's own NODE_OPTIONS to that service alone, to change its heap bound", () => {
    const withHeap = {
      ...values,
      services: {
        ...values.services,
        router: { ...values.services.router, env: { NODE_OPTIONS: '--max-old-space-size=192' } },
      },
    };
    expect(configOf('router', withHeap).NODE_OPTIONS).toBe('--max-old-space-size=192');
    expect(configOf('status', withHeap).NODE_OPTIONS).toBeUndefined();
  });

  it('keeps KEDA within the partitions a consumer group can use', () => {
    const maxima = [
      values.defaults.scaling.maxReplicas,
      ...Object.values(values.services).map((s) => s.scaling?.maxReplicas ?? 0),
    ];
    expect(Math.max(...maxima)).toBeLessThanOrEqual(values.kafka.partitions);
  });

  it('is described, setting by setting, in docs/deploy-kubernetes.md', () => {
    const doc = readFileSync(DOC, 'utf8');
    const start = doc.indexOf(TABLE_START);
    const end = doc.indexOf(TABLE_END);
    expect(start).toBeGreaterThanOrEqual(0);
    expect(doc.slice(start, end + TABLE_END.length)).toBe(settingsTable(values));
  });
});
