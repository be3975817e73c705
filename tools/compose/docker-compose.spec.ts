import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deadLetterTopic, TOPIC_NAMES, TOPICS } from '@aduan/contracts';
import { ConfigError, loadConfig } from '@aduan/platform';
import { settingsOf } from '../dev/service-settings';
import {
  composeSchemaValidator,
  dependenciesOf,
  environmentOf,
  mountsOf,
  readCompose,
  ROOT,
  type ComposeModel,
  type Service,
} from './compose-file';
import { interpolateTree, MissingVariableError } from './interpolate';

// dclint is an ES module package; its CommonJS build is what Jest loads.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { DCLinter } = require('dclint') as {
  DCLinter: new (config: {
    rules: Record<string, number>;
    quiet: boolean;
    debug: boolean;
    exclude: string[];
  }) => {
    lintFiles(
      paths: string[],
      recursive: boolean,
    ): Array<{ messages: Array<{ type: string; rule: string; message: string; line: number }> }>;
  };
};

const COMPOSE_FILE = join(ROOT, 'docker-compose.yml');
const DEV_INFRA_FILE = join(ROOT, 'tools/compose/dev-infra.yml');

/** What production cannot run without: a missing one must stop `docker compose up`. */
const REQUIRED_SECRETS = [
  'POSTGRES_PASSWORD',
  'TRACKING_CODE_SECRET',
  'REPORTER_DATA_KEY',
  'OFFICER_BOOTSTRAP_ADMIN',
  'JAKI_API_KEYS',
  'OPEN311_API_KEYS',
  'SUPPORT_KEY',
] as const;

/** Values an operator would put in .env. */
const OPERATOR_ENV: Record<string, string> = {
  POSTGRES_PASSWORD: randomBytes(24).toString('hex'),
  TRACKING_CODE_SECRET: randomBytes(48).toString('base64'),
  REPORTER_DATA_KEY: randomBytes(32).toString('base64'),
  OFFICER_BOOTSTRAP_ADMIN: 'admin:a-long-first-password',
  JAKI_API_KEYS: 'jaki-android:k1,jaki-ios:k2',
  OPEN311_API_KEYS: 'civic-app:k3',
  SUPPORT_KEY: randomBytes(32).toString('base64'),
};

const { source, model } = readCompose(COMPOSE_FILE);
const interpolated = interpolateTree(model, OPERATOR_ENV).value;
const services = Object.entries(model.services);

/** The application services: one image, SERVICE naming the folder under services/. */
function appServices(doc: ComposeModel = model): Array<[string, Service]> {
  return Object.entries(doc.services).filter(([, s]) => environmentOf(s)['SERVICE'] !== undefined);
}

/** Every setting a service reads at start-up, from its own config.ts. */

function portOf(service: string): number {
  const [name, setting] = Object.entries(settingsOf(service)).find(([k]) => k.endsWith('_PORT')) ?? [];
  if (!name || !setting?.default) throw new Error(`${service} declares no *_PORT setting`);
  return Number(setting.default);
}

/** Long-running services; one-shot jobs (restart "no") run to completion instead. */
function isOneShot(service: Service): boolean {
  return service.restart === 'no';
}

function lint(file: string): string[] {
  const linter = new DCLinter({ rules: {}, quiet: false, debug: false, exclude: [] });
  return linter
    .lintFiles([file], false)
    .flatMap((r) => r.messages)
    .filter((m) => m.type === 'error')
    .map((m) => `${m.line}: ${m.rule}: ${m.message}`);
}

describe('docker-compose.yml', () => {
  describe('against the Compose specification', () => {
    const validate = composeSchemaValidator();

    it('matches the schema as written', () => {
      expect(validate(model)).toEqual([]);
    });

    it('matches the schema once interpolated with the operator’s secrets', () => {
      expect(validate(interpolated)).toEqual([]);
    });

    it('passes dclint with no error', () => {
      expect(lint(COMPOSE_FILE)).toEqual([]);
    });

    it('the schema catches a mistake (the check is live)', () => {
      const broken = structuredClone(model);
      (broken.services['status']!.depends_on as Record<string, object>)['postgres'] = {
        condition: 'service_ready',
      };
      expect(validate(broken).length).toBeGreaterThan(0);
    });
  });

  describe('required secrets', () => {
    it('are written as ${VAR:?message} every time they appear, with a message saying what to set', () => {
      const text = source.replace(/\$\$/g, '');
      for (const name of REQUIRED_SECRETS) {
        const uses = [...text.matchAll(new RegExp(`\\$\\{?${name}\\b[^}\\n]*\\}?`, 'g'))].map((m) => m[0]);
        expect({ name, count: uses.length > 0 }).toEqual({ name, count: true });
        for (const use of uses)
          expect({ name, use }).toEqual({
            name,
            use: expect.stringMatching(new RegExp(`^\\$\\{${name}:\\?set ${name} [^}]+\\}$`)),
          });
      }
    });

    it('with an empty environment, interpolation fails naming each of them', () => {
      const { errors } = interpolateTree(model, {});
      expect(errors.every((e) => e.error instanceof MissingVariableError)).toBe(true);
      const missing = new Set(errors.map((e) => (e.error as MissingVariableError).variable));
      expect([...missing].sort()).toEqual([...REQUIRED_SECRETS].sort());
      for (const { error } of errors) {
        const { variable } = error as MissingVariableError;
        expect(error.message).toMatch(
          new RegExp(`^required variable ${variable} is missing a value: set ${variable} `),
        );
      }
    });

    it.each(REQUIRED_SECRETS)('leaving out only %s stops it, naming it', (name) => {
      const { errors } = interpolateTree(model, { ...OPERATOR_ENV, [name]: undefined });
      expect(errors.length).toBeGreaterThan(0);
      expect(new Set(errors.map((e) => (e.error as MissingVariableError).variable))).toEqual(new Set([name]));
      // An empty value is as good as none (`:?`, not `?`).
      expect(interpolateTree(model, { ...OPERATOR_ENV, [name]: '' }).errors.length).toBe(errors.length);
    });

    it('with every secret given, interpolation succeeds', () => {
      expect(interpolateTree(model, OPERATOR_ENV).errors).toEqual([]);
    });

    it('with every secret given, each service accepts its environment in production', () => {
      const problems: Record<string, string[]> = {};
      for (const [name, service] of appServices(interpolated)) {
        const env = environmentOf(service);
        expect(env['NODE_ENV']).toBe('production');
        try {
          loadConfig(name, settingsOf(name), env);
        } catch (err) {
          if (!(err instanceof ConfigError)) throw err;
          problems[name] = err.problems;
        }
      }
      expect(problems).toEqual({});
    });
  });

  describe('state', () => {
    const used = services.flatMap(([, s]) =>
      mountsOf(s, model)
        .filter((m) => m.named)
        .map((m) => m.source),
    );

    it('declares only named volumes that a service mounts, each by one service', () => {
      expect([...used].sort()).toEqual(Object.keys(model.volumes ?? {}).sort());
      expect(new Set(used).size).toBe(used.length);
    });

    it('keeps Kafka’s log and PostgreSQL’s data in named volumes', () => {
      const kafkaDir = environmentOf(model.services['kafka']!)['KAFKA_LOG_DIRS'];
      expect(mountsOf(model.services['kafka']!, model)).toContainEqual(
        expect.objectContaining({ target: kafkaDir, named: true }),
      );
      expect(mountsOf(model.services['postgres']!, model)).toContainEqual(
        expect.objectContaining({ target: '/var/lib/postgresql/data', named: true }),
      );
    });

    it('puts every folder a service keeps (its *_DIR settings) inside a named volume of its own', () => {
      const folders: string[] = [];
      for (const [name, service] of appServices()) {
        const mounts = mountsOf(service, model).filter((m) => m.named);
        for (const setting of Object.keys(settingsOf(name)).filter((k) => k.endsWith('_DIR'))) {
          folders.push(setting);
          const path = environmentOf(service)[setting];
          expect({ service: name, setting, path }).toEqual({
            service: name,
            setting,
            path: expect.stringMatching(/^\//),
          });
          const inside = mounts.some((m) => path === m.target || path!.startsWith(`${m.target}/`));
          expect({ service: name, setting, inside }).toEqual({ service: name, setting, inside: true });
        }
      }
      // The WhatsApp session and evidence, at least (citizens' media live in PostgreSQL).
      expect(folders).toEqual(
        expect.arrayContaining(['JAKI_PHOTO_DIR', 'WHATSAPP_WEB_SESSION_DIR', 'EVIDENCE_DIR']),
      );
    });

    it('mounts app volumes on folders the image creates for its node user', () => {
      const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
      const targets = new Set(appServices().flatMap(([, s]) => mountsOf(s, model).map((m) => m.target)));
      expect(targets.size).toBeGreaterThan(0);
      for (const target of targets) {
        expect(dockerfile).toMatch(new RegExp(`mkdir -p [^\\n]*${target}\\b`));
        expect(dockerfile).toMatch(new RegExp(`chown node:node [^\\n]*${target}\\b`));
      }
    });
  });

  describe('health and start-up order', () => {
    it('gives every long-running service a health check', () => {
      for (const [name, service] of services.filter(([, s]) => !isOneShot(s))) {
        const check = service.healthcheck;
        expect({ name, test: check?.test !== undefined && !check.disable }).toEqual({ name, test: true });
      }
    });

    it('checks each application service at GET /health/ready on its own port, which it publishes', () => {
      for (const [name, service] of appServices()) {
        const port = portOf(name);
        const test = service.healthcheck?.test;
        expect(Array.isArray(test) && test[0] === 'CMD').toBe(true);
        expect({ name, test: (test as string[]).join(' ') }).toEqual({
          name,
          test: expect.stringContaining(`'http://127.0.0.1:${port}/health/ready'`),
        });
        expect({ name, ports: service.ports }).toEqual({ name, ports: [`127.0.0.1:${port}:${port}`] });
      }
    });

    it('waits on every dependency with a condition that the dependency can meet', () => {
      for (const [name, service] of services) {
        for (const [target, { condition }] of Object.entries(dependenciesOf(service))) {
          const dep = model.services[target];
          const expected = dep && isOneShot(dep) ? 'service_completed_successfully' : 'service_healthy';
          expect({ name, target, exists: !!dep, condition }).toEqual({
            name,
            target,
            exists: true,
            condition: expected,
          });
          if (expected === 'service_healthy') expect(dep!.healthcheck?.test).toBeDefined();
        }
      }
    });

    it('starts each application service after what its settings point at', () => {
      for (const [name, service] of appServices()) {
        const env = environmentOf(interpolated.services[name]!);
        const deps = dependenciesOf(service);
        const wanted: string[] = [];
        if (env['KAFKA_BROKERS']) wanted.push('kafka', 'kafka-init');
        if (env['DATABASE_URL']) wanted.push('postgres');
        if (env['STATUS_BASE_URL']) wanted.push('status');
        expect({ name, deps: Object.keys(deps).sort() }).toEqual({ name, deps: wanted.sort() });
      }
    });

    it('has no dependency cycle', () => {
      const visiting = new Set<string>();
      const done = new Set<string>();
      const visit = (name: string): void => {
        if (done.has(name)) return;
        if (visiting.has(name)) throw new Error(`dependency cycle through ${name}`);
        visiting.add(name);
        for (const dep of Object.keys(dependenciesOf(model.services[name]!))) visit(dep);
        visiting.delete(name);
        done.add(name);
      };
      expect(() => services.forEach(([name]) => visit(name))).not.toThrow();
    });

    it('runs its one-shot jobs only once, as dependencies of other services', () => {
      const oneShots = services.filter(([, s]) => isOneShot(s)).map(([n]) => n);
      expect(oneShots).toEqual(['kafka-init']);
      for (const job of oneShots)
        expect(
          services.some(([, s]) => dependenciesOf(s)[job]?.condition === 'service_completed_successfully'),
        ).toBe(true);
    });
  });

  describe('topics', () => {
    const init = model.services['kafka-init']!;
    const script = [init.command].flat().join('\n');
    const created = new Map(
      [...script.matchAll(/^\s*create\s+(\S+)(.*)$/gm)].map((m) => [m[1]!, m[2]!.trim()] as const),
    );

    it('creates every topic of the contracts and its dead-letter topic, and nothing else', () => {
      const expected = TOPIC_NAMES.flatMap((t) => [t, deadLetterTopic(t)]);
      expect([...created.keys()].sort()).toEqual(expected.sort());
    });

    it('compacts exactly the topics the contracts call compacted', () => {
      for (const topic of TOPIC_NAMES) {
        const compact = created.get(topic)?.includes('--config cleanup.policy=compact') ?? false;
        expect({ topic, compact }).toEqual({ topic, compact: TOPICS[topic].compacted });
        expect(created.get(deadLetterTopic(topic))).toBe('');
      }
    });

    it('talks to the broker on the listener it advertises to containers, from the same image', () => {
      const kafka = model.services['kafka']!;
      const advertised = environmentOf(kafka)['KAFKA_ADVERTISED_LISTENERS']!;
      const internal = /INTERNAL:\/\/([^,]+)/.exec(advertised)?.[1];
      expect(internal).toBe('kafka:29092');
      expect(script).toContain(`--bootstrap-server ${internal} --create --if-not-exists`);
      expect(init.image).toBe(kafka.image);
      for (const [name, service] of appServices(interpolated))
        if (environmentOf(service)['KAFKA_BROKERS'] !== undefined)
          expect({ name, brokers: environmentOf(service)['KAFKA_BROKERS'] }).toEqual({
            name,
            brokers: internal,
          });
    });
  });

  describe('addresses between services', () => {
    it('sets every setting whose default would point a container at itself', () => {
      const loopback = /(^|\/\/|,)(127\.0\.0\.1|localhost)(:|\/|$)/;
      for (const [name, service] of appServices()) {
        const env = environmentOf(service);
        for (const [setting, spec] of Object.entries(settingsOf(name)))
          if (spec.default && loopback.test(spec.default))
            expect({ name, setting, set: setting in env }).toEqual({ name, setting, set: true });
      }
    });

    it('points URLs at another service by its name and the port that service listens on', () => {
      const ports: Record<string, number> = { postgres: 5432 };
      for (const [name] of appServices()) ports[name] = portOf(name);
      let checked = 0;
      for (const [name, service] of appServices(interpolated)) {
        for (const [setting, value] of Object.entries(environmentOf(service))) {
          let url: URL;
          try {
            url = new URL(value);
          } catch {
            continue;
          }
          if (!(url.hostname in model.services)) continue;
          checked++;
          expect({ name, setting, port: Number(url.port) }).toEqual({
            name,
            setting,
            port: ports[url.hostname],
          });
        }
      }
      expect(checked).toBeGreaterThan(0);
      expect(environmentOf(interpolated.services['channel-jaki']!)['STATUS_BASE_URL']).toBe(
        'http://status:3300',
      );
      expect(environmentOf(interpolated.services['web']!)['STATUS_BASE_URL']).toBe('http://status:3300');
    });

    it('passes each service only settings it declares, and every secret it reads', () => {
      for (const [name, service] of appServices()) {
        const spec = settingsOf(name);
        const env = environmentOf(service);
        const unknown = Object.keys(env).filter((k) => !(k in spec) && k !== 'SERVICE' && k !== 'NODE_ENV');
        expect({ name, unknown }).toEqual({ name, unknown: [] });
        const missing = Object.entries(spec)
          .filter(([k, s]) => s.secret && !(k in env))
          .map(([k]) => k);
        expect({ name, missing }).toEqual({ name, missing: [] });
      }
    });

    it('runs every service under services/ (one entry each)', () => {
      const names = appServices().map(([n]) => n);
      for (const name of names) expect(existsSync(join(ROOT, 'services', name, 'src/main.ts'))).toBe(true);
      for (const [name, service] of appServices()) expect(environmentOf(service)['SERVICE']).toBe(name);
      // Every deployable service, including one added or generated later, needs its entry.
      const deployable = readdirSync(join(ROOT, 'services')).filter((d) =>
        existsSync(join(ROOT, 'services', d, 'src/main.ts')),
      );
      expect(names.sort()).toEqual(deployable.sort());
    });
  });
});

describe('tools/compose/dev-infra.yml', () => {
  const dev = readCompose(DEV_INFRA_FILE).model;

  it('matches the Compose specification and passes dclint', () => {
    expect(composeSchemaValidator()(dev)).toEqual([]);
    expect(lint(DEV_INFRA_FILE)).toEqual([]);
  });

  it('runs the same broker and database images with the same broker settings', () => {
    expect(dev.services['kafka']!.image).toBe(model.services['kafka']!.image);
    expect(dev.services['postgres']!.image).toBe(model.services['postgres']!.image);
    const listeners = /LISTENER|CONTROLLER_QUORUM/;
    const settings = (env: Record<string, string>) =>
      Object.fromEntries(Object.entries(env).filter(([k]) => !listeners.test(k)));
    expect(settings(environmentOf(dev.services['kafka']!))).toEqual(
      settings(environmentOf(model.services['kafka']!)),
    );
  });

  it('needs no secret', () => {
    expect(interpolateTree(dev, {}).errors).toEqual([]);
  });
});
