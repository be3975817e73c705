import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The parts of V8's `.cpuprofile` (written by `node --cpu-prof`) that self time needs. */
export interface CpuProfile {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
  }>;
  samples: number[];
  /** Microseconds since the sample before; the first is since the profile started. */
  timeDeltas: number[];
}

export interface SelfTime {
  /** `name (file:line)`, paths relative to the repository, node_modules kept. */
  fn: string;
  ms: number;
  /** Of every sample, idle included. */
  share: number;
}

function where(url: string, line: number, root: string): string {
  if (!url) return '';
  const path = url.startsWith('file://') ? url.slice('file://'.length) : url;
  return ` (${path.startsWith('/') ? relative(root, path) : path}:${line + 1})`;
}

/**
 * Time spent in each function itself (not in what it called), highest first. V8 names the
 * waiting `(idle)` and collection `(garbage collector)`; they are kept, since how much of the
 * time a service waits is the first thing a profile under load should tell.
 */
export function topSelfTime(profile: CpuProfile, root: string, limit = 15): SelfTime[] {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const us = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    const node = byNode.get(id);
    if (!node) return;
    const { functionName, url, lineNumber } = node.callFrame;
    const fn = `${functionName || '(anonymous)'}${where(url, lineNumber, root)}`;
    us.set(fn, (us.get(fn) ?? 0) + delta);
    total += delta;
  });
  return [...us]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([fn, t]) => ({ fn, ms: t / 1000, share: total ? t / total : 0 }));
}

/** The newest `.cpuprofile` in a folder (the one `--cpu-prof-dir` got at the service's exit). */
export function readNewestProfile(dir: string): CpuProfile {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .sort();
  const newest = files[files.length - 1];
  if (!newest) throw new Error(`no .cpuprofile in ${dir}`);
  return JSON.parse(readFileSync(join(dir, newest), 'utf8')) as CpuProfile;
}
