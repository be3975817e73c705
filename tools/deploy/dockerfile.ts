import { readFileSync } from 'node:fs';

/**
 * A Dockerfile read as BuildKit reads it, enough to check it without a Docker engine: comments
 * and line continuations, instructions, and the stages they belong to.
 */
export interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

export interface Stage {
  name?: string;
  from: string;
  instructions: Instruction[];
}

export interface Dockerfile {
  /** ARGs before the first FROM (usable in FROM lines). */
  globalArgs: Instruction[];
  stages: Stage[];
  /** The comment lines at the top, without their `#`. */
  header: string[];
}

export function parseDockerfile(text: string): Dockerfile {
  const lines = text.split('\n');
  const header: string[] = [];
  for (const l of lines) {
    if (!l.startsWith('#')) break;
    header.push(l.replace(/^#\s?/, ''));
  }
  const instructions: Instruction[] = [];
  let current: Instruction | undefined;
  lines.forEach((raw, i) => {
    const l = raw.trim();
    if (!current && (l === '' || l.startsWith('#'))) return;
    if (current && l.startsWith('#')) return;
    const continued = l.endsWith('\\');
    const body = continued ? l.slice(0, -1).trim() : l;
    if (current) current.args = `${current.args} ${body}`.trim();
    else {
      const [keyword = '', ...rest] = body.split(/\s+/);
      current = { keyword: keyword.toUpperCase(), args: rest.join(' '), line: i + 1 };
    }
    if (!continued) {
      instructions.push(current);
      current = undefined;
    }
  });
  const globalArgs: Instruction[] = [];
  const stages: Stage[] = [];
  for (const ins of instructions) {
    if (ins.keyword === 'FROM') {
      const [from = '', as, name] = ins.args.split(/\s+/);
      stages.push({ from, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
    } else if (stages.length) stages[stages.length - 1]!.instructions.push(ins);
    else if (ins.keyword === 'ARG') globalArgs.push(ins);
  }
  return { globalArgs, stages, header };
}

export function readDockerfile(path: string): Dockerfile {
  return parseDockerfile(readFileSync(path, 'utf8'));
}

/**
 * Whether `.dockerignore` keeps a path out of the build context: Docker's rules (patterns
 * relative to the context root, `*` within one path segment, `**` across segments, a later
 * `!pattern` re-includes, a pattern that names a folder excludes what is inside it).
 */
export function dockerIgnored(patterns: readonly string[], path: string): boolean {
  let ignored = false;
  for (const raw of patterns) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const negate = line.startsWith('!');
    const pattern = (negate ? line.slice(1) : line).replace(/^\/+/, '').replace(/\/+$/, '');
    const source = pattern
      .split('/')
      .map((seg) =>
        seg === '**'
          ? '.*'
          : seg
              .replace(/[.+^${}()|[\]\\]/g, '\\$&')
              .replace(/\*/g, '[^/]*')
              .replace(/\?/g, '[^/]'),
      )
      .join('/')
      .replace(/\.\*\//g, '(?:.*/)?');
    if (new RegExp(`^${source}(?:/.*)?$`).test(path)) ignored = !negate;
  }
  return ignored;
}
