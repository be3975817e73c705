/**
 * Each service describes its configuration once; the same descriptor validates the
 * environment at start-up, renders `.env.example` and the README table.
 */

type Kind = 'string' | 'int' | 'number' | 'url' | 'list' | 'bool' | 'enum';

export interface Setting<K extends Kind = Kind> {
  kind: K;
  description: string;
  /** Used when the variable is unset; absent means the variable is required (unless optional). */
  default?: string;
  example?: string;
  /** Value written to `.env.example` for a local development stack (never used in production). */
  dev?: string;
  secret?: boolean;
  /** Unset is fine and yields undefined: the feature it enables stays off. */
  optional?: boolean;
  /**
   * Optional while developing, but a production deployment without it would run with a
   * feature silently off that the city relies on (officer sign-in, contact encryption…).
   */
  requiredInProduction?: boolean;
  /** What stays off while an optional setting is unset, e.g. "Telegram intake"; logged at start. */
  offWhenUnset?: string;
  values?: readonly string[];
  min?: number;
  max?: number;
}

export type ConfigSpec = Record<string, Setting>;

type ValueOf<S extends Setting> = S['kind'] extends 'int' | 'number'
  ? number
  : S['kind'] extends 'list'
    ? string[]
    : S['kind'] extends 'bool'
      ? boolean
      : string;

export type ConfigOf<S extends ConfigSpec> = {
  [K in keyof S]: S[K]['optional'] extends true ? ValueOf<S[K]> | undefined : ValueOf<S[K]>;
};

export class ConfigError extends Error {
  constructor(
    readonly service: string,
    readonly problems: string[],
  ) {
    super(`${service}: configuration is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function defineConfig<S extends ConfigSpec>(spec: S): S {
  return spec;
}

function parse(name: string, setting: Setting, raw: string): { value?: unknown; problem?: string } {
  const hint = setting.example ? ` (for example ${setting.secret ? '<secret>' : setting.example})` : '';
  switch (setting.kind) {
    case 'int': {
      const n = Number(raw);
      if (!Number.isInteger(n)) return { problem: `${name} must be a whole number${hint}, got "${raw}"` };
      if (setting.min !== undefined && n < setting.min)
        return { problem: `${name} must be at least ${setting.min}` };
      if (setting.max !== undefined && n > setting.max)
        return { problem: `${name} must be at most ${setting.max}` };
      return { value: n };
    }
    case 'number': {
      const n = Number(raw);
      if (raw === '' || !Number.isFinite(n))
        return { problem: `${name} must be a number${hint}, got "${raw}"` };
      if (setting.min !== undefined && n < setting.min)
        return { problem: `${name} must be at least ${setting.min}` };
      if (setting.max !== undefined && n > setting.max)
        return { problem: `${name} must be at most ${setting.max}` };
      return { value: n };
    }
    case 'url':
      try {
        new URL(raw);
        return { value: raw };
      } catch {
        return { problem: `${name} must be a URL${hint}` };
      }
    case 'list':
      return {
        value: raw
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      };
    case 'bool':
      if (!/^(true|false|1|0|yes|no)$/i.test(raw)) return { problem: `${name} must be true or false` };
      return { value: /^(true|1|yes)$/i.test(raw) };
    case 'enum':
      if (!setting.values?.includes(raw))
        return { problem: `${name} must be one of ${setting.values?.join(', ')}` };
      return { value: raw };
    default:
      return { value: raw };
  }
}

/** Reads every setting, collects every problem, and throws once with all of them. */
export function loadConfig<S extends ConfigSpec>(
  service: string,
  spec: S,
  env: NodeJS.ProcessEnv = process.env,
): ConfigOf<S> {
  const out: Record<string, unknown> = {};
  const problems: string[] = [];
  const production = env['NODE_ENV'] === 'production';
  for (const [name, setting] of Object.entries(spec)) {
    const raw = env[name]?.trim();
    const source = raw === undefined || raw === '' ? setting.default : raw;
    if (source === undefined) {
      if (!setting.optional || (production && setting.requiredInProduction))
        problems.push(`set ${name}: ${setting.description}${exampleHint(setting)}`);
      continue;
    }
    if (production && setting.secret && isPublicValue(setting, source)) {
      problems.push(
        `set ${name}: the value given is a development or example value published with Aduan and must not be used in production (${setting.description})`,
      );
      continue;
    }
    const { value, problem } = parse(name, setting, source);
    if (problem) problems.push(problem);
    else out[name] = value;
  }
  if (problems.length) throw new ConfigError(service, problems);
  return out as ConfigOf<S>;
}

function exampleHint(setting: Setting): string {
  return setting.example && !setting.secret ? ` (for example ${setting.example})` : '';
}

/**
 * Everything written in the repository — the default, the development value that
 * `.env.example` is rendered from, the documented example — is public, so a secret equal to
 * any of them (or, for a list, holding any of their entries) protects nothing.
 */
function isPublicValue(setting: Setting, value: string): boolean {
  const published = [setting.default, setting.dev, setting.example].filter(
    (v): v is string => v !== undefined && v !== '',
  );
  if (setting.kind !== 'list') return published.includes(value);
  const entries = (v: string) =>
    v
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean);
  const publishedEntries = new Set(published.flatMap(entries));
  return entries(value).some((e) => publishedEntries.has(e));
}

/** One line per optional feature left off, for the start-up log. */
export function featuresOff(spec: ConfigSpec, config: Record<string, unknown>): string[] {
  return Object.entries(spec)
    .filter(([name, s]) => s.offWhenUnset && config[name] === undefined)
    .map(([name, s]) => `${name} is not set: ${s.offWhenUnset} is off`);
}

/** The configuration as it may be logged: secrets masked. */
export function describeConfig(spec: ConfigSpec, config: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(config).map(([k, v]) => [
      k,
      spec[k]?.secret ? (v === undefined ? v : '***') : maskUrlPassword(v),
    ]),
  );
}

function maskUrlPassword(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(maskUrlPassword);
  if (typeof v !== 'string' || !/^[a-z]+:\/\/[^/]*:[^/]*@/i.test(v)) return v;
  return v.replace(/(\/\/[^:/]*:)[^@]*@/, '$1***@');
}

export function renderEnvExample(title: string, spec: ConfigSpec): string {
  const lines = [`# --- ${title}`];
  for (const [name, s] of Object.entries(spec)) {
    lines.push(`# ${s.description}${s.optional ? ' (optional)' : ''}`);
    const value = s.dev ?? s.default ?? (s.secret ? '' : (s.example ?? ''));
    lines.push(`${s.dev === undefined && s.default === undefined ? '# ' : ''}${name}=${value}`);
  }
  return lines.join('\n');
}
