import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runnerSettings } from '@aduan/channel-sdk';
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
 * the channel kit (it exports a `*Settings` and runs through `runChannel`) the runner's own too.
 */
export function settingsOf(service: string): ConfigSpec {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(join(ROOT, 'services', service, 'src/config.ts')) as Record<string, unknown>;
  const own = Object.entries(mod)
    .filter(([name]) => name.endsWith('Settings'))
    .map(([, spec]) => spec as ConfigSpec);
  const kit = service.startsWith('channel-') ? [runnerSettings as ConfigSpec] : [];
  return Object.assign({}, ...own, ...kit) as ConfigSpec;
}
