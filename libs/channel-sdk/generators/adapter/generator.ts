/**
 * `nx g @aduan/channel-sdk:adapter <name>`: a new channel adapter on the channel kit that builds
 * and passes the conformance suite as generated, so an operator starts from green and replaces
 * the generic provider (its payload, signature header and send call) with their own.
 * docs/adding-a-channel.md walks through what to change.
 */
import { join } from 'node:path';
import { formatFiles, generateFiles, logger, names, type Tree } from '@nx/devkit';

export interface AdapterGeneratorSchema {
  name: string;
  port?: number;
  label?: string;
  /** The templates are already formatted; tests skip Prettier, which cannot load inside Jest. */
  skipFormat?: boolean;
}

export interface AdapterNames {
  /** `pigeon-post`: file names and the webhook path. */
  fileName: string;
  /** `channel-pigeon-post`: folder, Nx project, logs, consumer groups. */
  service: string;
  /** `pigeon_post`: the channel name on events (CHANNEL_NAME_PATTERN allows no '-'). */
  channel: string;
  /** `PIGEON_POST`: prefix of the adapter's settings. */
  constantName: string;
  /** `pigeonPost`: the adapter's exported names. */
  propertyName: string;
  /** `Pigeon Post`: descriptions and log lines. */
  label: string;
  port: number;
}

const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
// The same rule as CHANNEL_NAME_PATTERN in libs/contracts: channel names are metric labels and keys.
const CHANNEL = /^[a-z][a-z0-9_]{1,31}$/;
const FIRST_CHANNEL_PORT = 3101;

/** The ports of the channel adapters already in the tree, from their config.ts defaults. */
function channelPorts(tree: Tree): number[] {
  if (!tree.exists('services')) return [];
  return tree
    .children('services')
    .filter((dir) => dir.startsWith('channel-') && tree.exists(`services/${dir}/src/config.ts`))
    .flatMap((dir) => {
      const source = tree.read(`services/${dir}/src/config.ts`, 'utf-8') ?? '';
      return [...source.matchAll(/_PORT:\s*\{[^}]*?default:\s*'(\d+)'/g)].map((m) => Number(m[1]));
    });
}

export function adapterNames(tree: Tree, options: AdapterGeneratorSchema): AdapterNames {
  const fileName = options.name.trim();
  if (!NAME.test(fileName))
    throw new Error(
      `"${fileName}" is not a channel name: lower case letters and digits, words joined by "-"`,
    );
  const channel = fileName.replaceAll('-', '_');
  if (!CHANNEL.test(channel)) throw new Error(`"${channel}" must be 2 to 32 characters long`);
  const service = `channel-${fileName}`;
  if (tree.exists(`services/${service}`)) throw new Error(`services/${service} already exists`);
  const used = channelPorts(tree);
  const port = options.port ?? Math.max(FIRST_CHANNEL_PORT - 1, ...used) + 1;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`port ${port} is not a TCP port`);
  if (used.includes(port)) throw new Error(`port ${port} is already the default of another channel adapter`);
  const n = names(fileName);
  return {
    fileName,
    service,
    channel,
    constantName: channel.toUpperCase(),
    propertyName: n.propertyName,
    label:
      options.label?.trim() ||
      fileName
        .split('-')
        .map((w) => w[0]!.toUpperCase() + w.slice(1))
        .join(' '),
    port,
  };
}

/** The docker-compose.yml entry of the new service, in the shape of the other adapters'. */
export function composeEntry(n: AdapterNames): string {
  const c = n.constantName;
  return [
    `  ${n.service}:`,
    `    <<: *app`,
    `    environment:`,
    `      <<: *channel-env`,
    `      SERVICE: ${n.service}`,
    `      ${c}_WEBHOOK_SECRET: \${${c}_WEBHOOK_SECRET:-}`,
    `      ${c}_API_BASE_URL: \${${c}_API_BASE_URL:-}`,
    `      ${c}_API_TOKEN: \${${c}_API_TOKEN:-}`,
    `    ports:`,
    `      - "127.0.0.1:${n.port}:${n.port}"`,
    `    healthcheck:`,
    `      <<: *app-healthcheck`,
    `      test: ["CMD", "node", "-e", "fetch('http://127.0.0.1:${n.port}/health/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]`,
  ].join('\n');
}

export async function adapterGenerator(tree: Tree, options: AdapterGeneratorSchema): Promise<() => void> {
  const n = adapterNames(tree, options);
  generateFiles(tree, join(__dirname, 'files'), `services/${n.service}`, { ...n, tmpl: '' });
  if (!options.skipFormat) await formatFiles(tree);
  return () => {
    logger.info(`
${n.service} is ready: it builds and passes the channel kit's conformance suite as generated.

  its tests:          npx jest services/${n.service}
  its settings:       npm run env:example (into .env.example)
  your provider:      docs/adding-a-channel.md (payload, signature, send call)

For docker-compose.yml, under services: (and ${n.constantName}_* in the file's opening comment):

${composeEntry(n)}
`);
  };
}

export default adapterGenerator;
