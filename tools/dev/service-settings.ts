import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runnerSettings, statusCheckSettings } from '@aduan/channel-sdk';
import type { ConfigSpec } from '@aduan/platform';

const ROOT = join(__dirname, '../..');

/** Services with a `src/config.ts`, in name order. */
export function configuredServices(): string[] {
  return readdirSync(join(ROOT, 'services'))
    .filter((s) => existsSync(join(ROOT, 'services', s, 'src/config.ts')))
    .sort();
}

/**
 * Every setting a service reads at start-up: what its config.ts exports, and for an adapter on
 * the channel kit (it exports a `*Settings` and runs through `runChannel`) the runner's own and
 * those of the status check (`cek <code>`) too.
 */
export function settingsOf(service: string): ConfigSpec {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(join(ROOT, 'services', service, 'src/config.ts')) as Record<string, unknown>;
  const own = Object.entries(mod)
    .filter(([name]) => name.endsWith('Settings'))
    .map(([, spec]) => spec as ConfigSpec);
  if (!service.startsWith('channel-')) return Object.assign({}, ...own) as ConfigSpec;
  // As runChannel merges them: the adapter's own declaration of a shared name wins.
  return Object.assign({}, statusCheckSettings, ...own, runnerSettings) as ConfigSpec;
}
