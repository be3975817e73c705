import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The production TypeScript sources under `dir`: no specs, no test folders, no dependencies. */
export function productionSources(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory())
      return entry === 'test' || entry === 'node_modules' ? [] : productionSources(path);
    return entry.endsWith('.ts') && !/\.(integration-)?spec\.ts$/.test(entry) ? [path] : [];
  });
}
