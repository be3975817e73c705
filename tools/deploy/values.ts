import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export const ROOT = join(__dirname, '../..');
export const VALUES_FILE = join(ROOT, 'deploy/k8s/values.yaml');

export interface Resources {
  requests: { cpu: string; memory: string };
  limits: { cpu: string; memory: string };
}

export interface Scaling {
  minReplicas: number;
  maxReplicas: number;
  lagThreshold: number;
}

/** What one service may change from `defaults`. */
export interface ServiceValues {
  replicas?: number;
  resources?: Resources;
  scaling?: Partial<Scaling>;
  image?: string;
  public?: boolean;
  storage?: string;
  env?: Record<string, string>;
}

export interface Values {
  namespace: string;
  image: { repository: string; tag: string; pullPolicy: 'Always' | 'IfNotPresent' | 'Never' };
  kafka: {
    cluster: string;
    bootstrapServers: string;
    strimziApiVersion: string;
    partitions: number;
    replicas: number;
    minInsyncReplicas: number;
    retentionDays: number;
    dlqRetentionDays: number;
  };
  network: {
    ingressNamespace: string;
    monitoringNamespace: string;
    databaseCidr: string;
    databasePort: number;
    externalCidr: string;
    externalPorts: number[];
    tracingNamespace: string;
    tracingPort: number;
  };
  env: Record<string, string>;
  defaults: {
    replicas: number;
    resources: Resources;
    scaling: Scaling;
    storage: string;
    storageClass: string;
  };
  services: Record<string, ServiceValues>;
}

/**
 * Every setting of values.yaml and what it does. `<service>` stands for any key under
 * `services`, `<VAR>` for any variable under an `env` map. values.spec.ts fails when the file
 * holds a setting that is not here, and the settings table of docs/deploy-kubernetes.md is
 * rendered from this list.
 */
export const SETTINGS: Record<string, string> = {
  namespace:
    'Namespace of every resource, the Strimzi Kafka cluster included (its User Operator writes each KafkaUser’s Secret there)',
  'image.repository': 'Registry path of the image built from the root Dockerfile',
  'image.tag': 'Tag of that image; pin a release, never `latest`',
  'image.pullPolicy': 'Kubernetes imagePullPolicy of every container',
  'kafka.cluster':
    'Name of the Strimzi `Kafka` resource: the `strimzi.io/cluster` label of every KafkaTopic and KafkaUser, and the prefix of its CA Secret (`<cluster>-cluster-ca-cert`)',
  'kafka.bootstrapServers':
    'Bootstrap address of the cluster’s TLS listener with SCRAM-SHA-512 authentication (Strimzi: `<cluster>-kafka-bootstrap:9093`)',
  'kafka.strimziApiVersion':
    'apiVersion of KafkaTopic and KafkaUser: `kafka.strimzi.io/v1beta2` (Strimzi 0.22 and later) or `kafka.strimzi.io/v1` (0.49 and later)',
  'kafka.partitions':
    'Partitions of every topic and DLQ; also the most consumers a group can use, so the ceiling of `scaling.maxReplicas`. Can grow later, never shrink',
  'kafka.replicas': 'Replication factor of every topic',
  'kafka.minInsyncReplicas':
    '`min.insync.replicas` of every topic: services publish with acks=all, so a write needs this many replicas',
  'kafka.retentionDays': 'How long events stay on a topic that is not compacted',
  'kafka.dlqRetentionDays': 'How long dead letters stay on a `.dlq` topic for `npm run dlq` to replay',
  'network.ingressNamespace':
    'Namespace of the ingress controller or reverse proxy: the only source allowed to reach services marked `public`',
  'network.monitoringNamespace': 'Namespace of Prometheus, allowed to scrape `GET /metrics` on every service',
  'network.databaseCidr':
    'Where PostgreSQL is, as a CIDR (egress to it is allowed on `network.databasePort` only)',
  'network.databasePort': 'PostgreSQL port',
  'network.externalCidr':
    'Addresses the channel adapters may call outside the cluster (X, Meta, WhatsApp, SMS gateway, mail, LAPOR!, news feeds); private ranges are excepted',
  'network.externalPorts': 'Ports the channel adapters may call there (HTTPS, SMTP submission, IMAPS)',
  'network.tracingNamespace':
    'Namespace of the OpenTelemetry collector that `env.OTEL_EXPORTER_OTLP_ENDPOINT` names; every service may send it traces',
  'network.tracingPort': 'Its OTLP/HTTP port',
  'env.<VAR>':
    'A setting given to every service that declares `<VAR>` (see .env.example); non-secret values only',
  'defaults.replicas': 'Replicas of a service without a ScaledObject (web)',
  'defaults.resources.requests.cpu': 'CPU request of each container',
  'defaults.resources.requests.memory': 'Memory request of each container',
  'defaults.resources.limits.cpu': 'CPU limit of each container',
  'defaults.resources.limits.memory': 'Memory limit of each container',
  'defaults.scaling.minReplicas':
    'Fewest replicas KEDA keeps of a consumer service (never 0: the services also answer HTTP)',
  'defaults.scaling.maxReplicas':
    'Most replicas KEDA scales a consumer service to (at most `kafka.partitions`)',
  'defaults.scaling.lagThreshold': 'Consumer-group lag per replica above which KEDA adds a replica',
  'defaults.storage':
    'Size of the volume of a service that keeps files (`*_DIR` settings: JAKI photos, evidence, the WhatsApp session)',
  'defaults.storageClass':
    'StorageClass of those volumes; it must offer ReadWriteMany, since every replica mounts the same files',
  'services.<service>.replicas': 'Replicas of this service (overrides `defaults.replicas`)',
  'services.<service>.resources.requests.cpu': 'CPU request of this service',
  'services.<service>.resources.requests.memory': 'Memory request of this service',
  'services.<service>.resources.limits.cpu': 'CPU limit of this service',
  'services.<service>.resources.limits.memory': 'Memory limit of this service',
  'services.<service>.scaling.minReplicas': 'KEDA minimum for this service',
  'services.<service>.scaling.maxReplicas':
    'KEDA maximum for this service (1 for channel-whatsapp in web mode: one browser per number)',
  'services.<service>.scaling.lagThreshold': 'KEDA lag threshold for this service',
  'services.<service>.image':
    'A whole image reference for this service instead of `image` (channel-whatsapp in web mode: the deploy/whatsapp-web image)',
  'services.<service>.public':
    'Whether the ingress namespace may reach this service (webhooks, APIs, media links, the web site)',
  'services.<service>.storage': 'Volume size for this service (overrides `defaults.storage`)',
  'services.<service>.env.<VAR>': 'A non-secret setting of this service only (overrides `env.<VAR>`)',
};

/** The documented name of a concrete path: service names and variables become placeholders. */
export function settingKey(path: string[]): string {
  const p = [...path];
  if (p[0] === 'services' && p.length > 1) p[1] = '<service>';
  const env = p.indexOf('env');
  if (env >= 0 && env === p.length - 2) p[env + 1] = '<VAR>';
  return p.join('.');
}

/** Every leaf of a parsed YAML tree as its path; a list is one leaf. */
export function leafPaths(tree: unknown, path: string[] = []): string[][] {
  if (tree === null || typeof tree !== 'object' || Array.isArray(tree)) return [path];
  const entries = Object.entries(tree as Record<string, unknown>);
  // An empty map (`router: {}`) keeps every default: nothing to document.
  return entries.flatMap(([k, v]) => leafPaths(v, [...path, k]));
}

export function readValues(file = VALUES_FILE): Values {
  return parse(readFileSync(file, 'utf8')) as Values;
}

/** One service's values with the defaults filled in. */
export function serviceValues(values: Values, service: string) {
  const own = values.services[service] ?? {};
  return {
    replicas: own.replicas ?? values.defaults.replicas,
    resources: own.resources ?? values.defaults.resources,
    scaling: { ...values.defaults.scaling, ...own.scaling },
    image: own.image ?? `${values.image.repository}:${values.image.tag}`,
    public: own.public ?? false,
    storage: own.storage ?? values.defaults.storage,
    env: { ...values.env, ...own.env },
  };
}

export const TABLE_START = '<!-- values-table:start (npm run deploy:render writes this table) -->';
export const TABLE_END = '<!-- values-table:end -->';

/** The settings table of docs/deploy-kubernetes.md, with each setting's value in values.yaml. */
export function settingsTable(values: Values = readValues()): string {
  const current = new Map<string, string>();
  for (const path of leafPaths(values)) {
    const key = settingKey(path);
    if (key.includes('<')) continue;
    let v: unknown = values;
    for (const p of path) v = (v as Record<string, unknown>)[p];
    current.set(key, Array.isArray(v) ? v.join(', ') : String(v));
  }
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const rows = [
    ['setting', 'in values.yaml', 'what it does'],
    ...Object.entries(SETTINGS).map(([key, description]) => [
      `\`${key}\``,
      current.has(key) ? `\`${cell(current.get(key)!)}\`` : '—',
      cell(description),
    ]),
  ];
  // Aligned as Prettier aligns a Markdown table, so the rendered guide passes prettier --check.
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const [head, ...body] = rows;
  return [
    TABLE_START,
    '',
    line(head!),
    `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`,
    ...body.map(line),
    '',
    TABLE_END,
  ].join('\n');
}
