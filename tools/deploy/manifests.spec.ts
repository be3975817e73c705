import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { deadLetterTopic, TOPIC_NAMES, TOPICS } from '@aduan/contracts';
import { ConfigError, loadConfig } from '@aduan/platform';
import Ajv from 'ajv';
import { parseAllDocuments } from 'yaml';
import { settingsOf } from '../dev/service-settings';
import { committedFiles, composeServices, portOf, renderFiles, secretName, type Manifest } from './render';
import { kafkaTopicSchema, kafkaUserSchema } from './strimzi-schemas';
import { consumedTopics, TOPOLOGY } from './topology';
import { readValues, ROOT } from './values';

const VALIDATOR = join(__dirname, 'validate-manifests.mjs');

interface Result {
  kind: string;
  name: string;
  package: string | null;
  errors: string[];
}

function validateWithPackages(manifests: unknown[]): Result[] {
  const out = execFileSync(process.execPath, [VALIDATOR], { input: JSON.stringify(manifests), cwd: ROOT });
  return JSON.parse(out.toString('utf8')) as Result[];
}

/** The manifests as `kubectl apply -k deploy/k8s` reads them: the committed YAML files. */
const committed: Manifest[] = Object.entries(committedFiles())
  .filter(([f]) => f !== 'kustomization.yaml')
  .flatMap(([, text]) => parseAllDocuments(text).map((d) => d.toJS() as Manifest));
const values = readValues();
const of = (kind: string) => committed.filter((m) => m.kind === kind);
const named = (kind: string, name: string) => of(kind).find((m) => m.metadata.name === name);
const services = Object.keys(composeServices()).sort();

type Container = {
  image: string;
  ports: Array<{ containerPort: number }>;
  envFrom: Array<{ configMapRef: { name: string } }>;
  env?: Array<{
    name: string;
    valueFrom: { secretKeyRef: { name: string; key: string; optional?: boolean } };
  }>;
  resources: { requests: Record<string, string>; limits: Record<string, string> };
  startupProbe: { httpGet: { path: string; port: number } };
  livenessProbe: { httpGet: { path: string; port: number } };
  readinessProbe: { httpGet: { path: string; port: number } };
  securityContext: Record<string, unknown>;
};
type PodSpec = { securityContext: Record<string, unknown>; containers: Container[] };
const podOf = (service: string) =>
  (named('Deployment', service)!.spec as { template: { spec: PodSpec } }).template.spec;
const configMapData = (service: string) => {
  const ref = podOf(service).containers[0]!.envFrom[0]!.configMapRef.name;
  return named('ConfigMap', ref)!['data'] as Record<string, string>;
};

type TopicSpec = { partitions: number; replicas: number; config: Record<string, string | number> };

describe('deploy/k8s', () => {
  it('holds exactly what deploy/k8s/values.yaml renders (npm run deploy:render)', () => {
    expect(committedFiles()).toEqual(renderFiles());
  });

  it('lists every rendered file in its kustomization', () => {
    const rendered = renderFiles();
    const kustomization = parseAllDocuments(committedFiles()['kustomization.yaml']!)[0]!.toJS() as {
      resources: string[];
    };
    expect(kustomization.resources.sort()).toEqual(
      Object.keys(rendered)
        .filter((f) => f !== 'kustomization.yaml')
        .sort(),
    );
  });

  describe('against schemas', () => {
    const results = validateWithPackages(committed);

    it('validates every built-in and KEDA resource against the schemas of kubernetes-models', () => {
      expect(results.filter((r) => r.errors.length)).toEqual([]);
      const byPackage = new Set(results.filter((r) => r.package).map((r) => r.kind));
      expect([...byPackage].sort()).toEqual(
        [
          'ConfigMap',
          'Deployment',
          'NetworkPolicy',
          'PersistentVolumeClaim',
          'PodDisruptionBudget',
          'ScaledObject',
          'Service',
          'TriggerAuthentication',
        ].sort(),
      );
      // Only Strimzi's kinds have no schema package; they are checked below.
      expect([...new Set(results.filter((r) => !r.package).map((r) => r.kind))].sort()).toEqual([
        'KafkaTopic',
        'KafkaUser',
      ]);
    });

    it('the package check is live: a wrong type in a Deployment and a ScaledObject is refused', () => {
      const deployment = structuredClone(named('Deployment', 'router')!);
      (deployment['spec'] as { replicas: unknown }).replicas = 'two';
      const scaled = structuredClone(named('ScaledObject', 'router')!);
      (scaled['spec'] as { maxReplicaCount: unknown }).maxReplicaCount = 'six';
      const [d, s] = validateWithPackages([deployment, scaled]);
      expect(d!.errors).toEqual(['/spec/replicas must be integer']);
      expect(s!.errors).toEqual(['/spec/maxReplicaCount must be integer']);
    });

    const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
    const strimzi = { KafkaTopic: ajv.compile(kafkaTopicSchema), KafkaUser: ajv.compile(kafkaUserSchema) };

    it('validates every KafkaTopic and KafkaUser against the Strimzi schemas of tools/deploy', () => {
      const problems = [...of('KafkaTopic'), ...of('KafkaUser')].flatMap((m) => {
        const validate = strimzi[m.kind as keyof typeof strimzi];
        return validate(m) ? [] : [{ name: m.metadata.name, errors: validate.errors }];
      });
      expect(problems).toEqual([]);
    });

    it('the Strimzi check is live: a misspelt field and an unknown operation are refused', () => {
      const topic = structuredClone(of('KafkaTopic')[0]!);
      (topic['spec'] as Record<string, unknown>)['replicationFactor'] = 3;
      expect(strimzi.KafkaTopic(topic)).toBe(false);
      const user = structuredClone(of('KafkaUser')[0]!);
      (
        user['spec'] as { authorization: { acls: Array<{ operations: string[] }> } }
      ).authorization.acls[0]!.operations = ['Publish'];
      expect(strimzi.KafkaUser(user)).toBe(false);
    });
  });

  describe('topics', () => {
    const topics = new Map(of('KafkaTopic').map((m) => [m.metadata.name, m['spec'] as TopicSpec]));

    it('has a KafkaTopic for every topic of libs/contracts, its DLQ and its replay record, and no other', () => {
      const expected = TOPIC_NAMES.flatMap((t) => [t, deadLetterTopic(t), `${deadLetterTopic(t)}.replayed`]);
      expect([...topics.keys()].sort()).toEqual(expected.sort());
    });

    it('replicates every topic 3 times and needs 2 in-sync replicas for a write', () => {
      for (const [name, spec] of topics) {
        expect({ name, replicas: spec.replicas }).toEqual({ name, replicas: 3 });
        expect({ name, isr: spec.config['min.insync.replicas'] }).toEqual({ name, isr: 2 });
      }
    });

    it('compacts the topics the contracts call compacted, keeps the others for a time', () => {
      for (const t of TOPIC_NAMES) {
        expect({ t, policy: topics.get(t)!.config['cleanup.policy'] }).toEqual({
          t,
          policy: TOPICS[t].compacted ? 'compact' : 'delete',
        });
        expect(topics.get(deadLetterTopic(t))!.config['cleanup.policy']).toBe('delete');
        expect(topics.get(t)!.partitions).toBe(values.kafka.partitions);
      }
      expect(topics.get('aduan.report.state.v1')!.config['cleanup.policy']).toBe('compact');
    });
  });

  describe('services', () => {
    it('runs every application service of docker-compose.yml, and every one under services/', () => {
      const deployable = readdirSync(join(ROOT, 'services')).filter((d) =>
        existsSync(join(ROOT, 'services', d, 'src/main.ts')),
      );
      expect(services).toEqual(deployable.sort());
      for (const kind of ['Deployment', 'Service', 'PodDisruptionBudget'])
        expect(
          of(kind)
            .map((m) => m.metadata.name)
            .sort(),
        ).toEqual(services);
    });

    it('probes liveness and readiness on the port each service listens on, and starts slowly enough', () => {
      for (const service of services) {
        const c = podOf(service).containers[0]!;
        const port = portOf(service);
        expect(c.ports.map((p) => p.containerPort)).toEqual([port]);
        expect(c.livenessProbe.httpGet).toEqual({ path: '/health/live', port });
        expect(c.readinessProbe.httpGet).toEqual({ path: '/health/ready', port });
        expect(c.startupProbe.httpGet).toEqual({ path: '/health/live', port });
        const service_ = named('Service', service)!['spec'] as { ports: Array<{ port: number }> };
        expect(service_.ports[0]!.port).toBe(port);
      }
    });

    it('asks for resources and sets limits on every container', () => {
      for (const service of services) {
        const { requests, limits } = podOf(service).containers[0]!.resources;
        expect(Object.keys(requests).sort()).toEqual(['cpu', 'memory']);
        expect(Object.keys(limits).sort()).toEqual(['cpu', 'memory']);
      }
    });

    it('runs as the image’s non-root user, without privilege escalation or capabilities', () => {
      for (const service of services) {
        const pod = podOf(service);
        expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
        expect(pod.containers[0]!.securityContext).toMatchObject({
          allowPrivilegeEscalation: false,
          capabilities: { drop: ['ALL'] },
        });
      }
    });

    it('lets at most one pod of a service be evicted at a time', () => {
      for (const pdb of of('PodDisruptionBudget'))
        expect(pdb['spec']).toEqual({
          maxUnavailable: 1,
          selector: { matchLabels: { 'app.kubernetes.io/name': pdb.metadata.name } },
        });
    });
  });

  describe('configuration and secrets', () => {
    it('renders no Secret: secret settings are references to the Secret aduan-<service>-secrets', () => {
      expect(of('Secret')).toEqual([]);
      for (const service of services) {
        const data = configMapData(service);
        const spec = settingsOf(service);
        const inConfig = Object.keys(data).filter((k) => spec[k]?.secret || k === 'DATABASE_URL');
        expect({ service, inConfig }).toEqual({ service, inConfig: [] });
        const refs = podOf(service).containers[0]!.env ?? [];
        for (const [name, s] of Object.entries(spec).filter(([, s]) => s.secret)) {
          const ref = refs.find((e) => e.name === name)?.valueFrom.secretKeyRef;
          const from = name === 'KAFKA_SASL_PASSWORD' ? `aduan-${service}` : secretName(service);
          expect({ service, name, ref: ref?.name }).toEqual({ service, name, ref: from });
          void s;
        }
      }
    });

    it('passes each service only settings it declares', () => {
      for (const service of services) {
        const spec = settingsOf(service);
        const names = [
          ...Object.keys(configMapData(service)),
          ...(podOf(service).containers[0]!.env ?? []).map((e) => e.name),
        ];
        const unknown = names.filter((k) => !(k in spec) && k !== 'SERVICE' && k !== 'NODE_ENV');
        expect({ service, unknown }).toEqual({ service, unknown: [] });
      }
    });

    it('with the secrets an operator creates, each service accepts its environment in production', () => {
      const problems: Record<string, string[]> = {};
      for (const service of services) {
        const env: Record<string, string> = { ...configMapData(service) };
        for (const e of podOf(service).containers[0]!.env ?? [])
          if (!e.valueFrom.secretKeyRef.optional) env[e.name] = operatorSecret(e.name);
        expect(env['NODE_ENV']).toBe('production');
        try {
          loadConfig(service, settingsOf(service), env);
        } catch (err) {
          if (!(err instanceof ConfigError)) throw err;
          problems[service] = err.problems;
        }
      }
      expect(problems).toEqual({});
    });

    it('sets every setting whose default would point a pod at itself', () => {
      const loopback = /(^|\/\/|,)(127\.0\.0\.1|localhost)(:|\/|$)/;
      for (const service of services) {
        const data = configMapData(service);
        for (const [setting, spec] of Object.entries(settingsOf(service)))
          if (spec.default && loopback.test(spec.default))
            expect({ service, setting, set: setting in data }).toEqual({ service, setting, set: true });
      }
    });

    it('connects to Kafka over TLS with SCRAM as the KafkaUser of the service', () => {
      for (const service of services.filter((s) => named('KafkaUser', `aduan-${s}`))) {
        expect(configMapData(service)).toMatchObject({
          KAFKA_BROKERS: values.kafka.bootstrapServers,
          KAFKA_SSL: 'true',
          KAFKA_SASL_MECHANISM: 'scram-sha-512',
          KAFKA_SASL_USERNAME: `aduan-${service}`,
        });
      }
    });
  });

  describe('Kafka users', () => {
    type Acl = { resource: { type: string; name: string; patternType: string }; operations: string[] };
    const aclsOf = (user: string) =>
      (named('KafkaUser', user)!['spec'] as { authorization: { acls: Acl[] } }).authorization.acls;
    const grantedTo = (user: string, op: string, type = 'topic') =>
      aclsOf(user)
        .filter((a) => a.resource.type === type && a.operations.includes(op))
        .map((a) => a.resource.name)
        .sort();

    it('has one user per service on Kafka, and one for npm run dlq', () => {
      const onKafka = services.filter((s) => s !== 'web');
      expect(
        of('KafkaUser')
          .map((u) => u.metadata.name)
          .sort(),
      ).toEqual([...onKafka.map((s) => `aduan-${s}`), 'aduan-dlq-operator'].sort());
    });

    it('lets a service write only the topics it publishes and the DLQs of those it consumes', () => {
      for (const [service, t] of Object.entries(TOPOLOGY).filter(([s]) => s !== 'web')) {
        const expected = [...t.produces, ...consumedTopics(t).map(deadLetterTopic)].sort();
        expect({ service, write: grantedTo(`aduan-${service}`, 'Write') }).toEqual({
          service,
          write: expected,
        });
        expect({ service, read: grantedTo(`aduan-${service}`, 'Read') }).toEqual({
          service,
          read: consumedTopics(t).sort(),
        });
        expect({ service, groups: grantedTo(`aduan-${service}`, 'Read', 'group') }).toEqual({
          service,
          groups: Object.keys(t.consumes).sort(),
        });
      }
    });

    it('grants nothing cluster-wide, no prefix but the DLQ reader groups, no All', () => {
      for (const user of of('KafkaUser')) {
        for (const acl of aclsOf(user.metadata.name)) {
          expect(acl.operations).not.toContain('All');
          expect(acl.resource.type).not.toBe('cluster');
          if (acl.resource.patternType === 'prefix')
            expect({ user: user.metadata.name, acl }).toEqual({
              user: 'aduan-dlq-operator',
              acl: {
                type: 'allow',
                resource: { type: 'group', name: 'aduan-dlq-reader-', patternType: 'prefix' },
                operations: ['Read', 'Delete'],
              },
            });
        }
      }
    });
  });

  describe('autoscaling', () => {
    const consumers = Object.entries(TOPOLOGY).filter(([, t]) => Object.keys(t.consumes).length);

    it('scales every consumer service on the lag of each of its groups on each topic it reads', () => {
      expect(
        of('ScaledObject')
          .map((s) => s.metadata.name)
          .sort(),
      ).toEqual(consumers.map(([s]) => s).sort());
      for (const [service, t] of consumers) {
        const spec = named('ScaledObject', service)!['spec'] as {
          scaleTargetRef: { name: string };
          minReplicaCount: number;
          maxReplicaCount: number;
          triggers: Array<{
            type: string;
            metadata: Record<string, string>;
            authenticationRef: { name: string };
          }>;
        };
        expect(spec.scaleTargetRef.name).toBe(service);
        expect(spec.minReplicaCount).toBeGreaterThanOrEqual(1);
        // A consumer beyond the partition count would sit idle.
        expect(spec.maxReplicaCount).toBeLessThanOrEqual(values.kafka.partitions);
        const pairs = spec.triggers
          .map((tr) => `${tr.metadata['consumerGroup']} ${tr.metadata['topic']}`)
          .sort();
        const expected = Object.entries(t.consumes).flatMap(([g, topics]) => topics.map((x) => `${g} ${x}`));
        expect({ service, pairs }).toEqual({ service, pairs: expected.sort() });
        for (const tr of spec.triggers) {
          expect(tr.type).toBe('kafka');
          expect(named('TriggerAuthentication', tr.authenticationRef.name)).toBeDefined();
        }
      }
    });
  });

  describe('network policies', () => {
    type Peer = { podSelector?: { matchLabels: Record<string, string> }; namespaceSelector?: unknown };
    const policy = (service: string) =>
      named('NetworkPolicy', `aduan-${service}`)!['spec'] as {
        ingress: Array<{ from: Peer[]; ports: Array<{ port: number }> }>;
        egress: Array<{ to?: Peer[]; ports: Array<{ port: number }> }>;
      };
    const callersOf = (service: string) =>
      policy(service)
        .ingress.flatMap((r) => r.from)
        .map((p) => p.podSelector?.matchLabels['app.kubernetes.io/name'])
        .filter(Boolean)
        .sort();

    it('denies every pod of Aduan all traffic its own policy does not allow', () => {
      expect(named('NetworkPolicy', 'aduan-default-deny')!['spec']).toEqual({
        podSelector: { matchLabels: { 'app.kubernetes.io/part-of': 'aduan' } },
        policyTypes: ['Ingress', 'Egress'],
      });
      for (const service of services)
        expect(policy(service).ingress[0]!.ports).toEqual([{ port: portOf(service), protocol: 'TCP' }]);
    });

    it('lets the status service be called by the adapters and the web server, and only the web server (its rules editor) and Prometheus reach the router', () => {
      expect(callersOf('status')).toEqual(
        expect.arrayContaining(['web', 'router', 'channel-jaki', 'channel-officer', 'channel-whatsapp']),
      );
      expect(callersOf('router')).toEqual(['web']);
      expect(callersOf('channel-media')).toEqual(['status', 'web']);
    });

    it('lets only the channel adapters leave the cluster, never to private ranges', () => {
      for (const service of services) {
        const external = policy(service).egress.filter((r) =>
          r.to?.some(
            (p) => (p as { ipBlock?: { cidr: string } }).ipBlock?.cidr === values.network.externalCidr,
          ),
        );
        expect({ service, external: external.length }).toEqual({
          service,
          external: service.startsWith('channel-') ? 1 : 0,
        });
      }
    });
  });
});

function operatorSecret(name: string): string {
  if (name === 'DATABASE_URL') return 'postgres://aduan:x@postgres.example:5432/aduan';
  if (name === 'OFFICER_BOOTSTRAP_ADMIN') return 'admin:a-long-first-password';
  if (name.endsWith('_API_KEYS')) return 'app:k1';
  if (name.endsWith('_URL')) return 'https://provider.example/x';
  return randomBytes(32).toString('base64');
}
