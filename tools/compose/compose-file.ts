import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Ajv, { type ErrorObject } from 'ajv';
import { parse } from 'yaml';

export const ROOT = join(__dirname, '../..');

export interface Healthcheck {
  test?: string | string[];
  disable?: boolean;
  interval?: string;
  timeout?: string;
  start_period?: string;
  retries?: number;
}

export interface Service {
  image?: string;
  build?: string | { context?: string; args?: Record<string, string> };
  restart?: string;
  depends_on?: string[] | Record<string, { condition?: string }>;
  environment?: Record<string, string | number | boolean | null> | string[];
  volumes?: Array<string | { type?: string; source?: string; target?: string }>;
  ports?: Array<string | number>;
  healthcheck?: Healthcheck;
  entrypoint?: string | string[];
  command?: string | string[];
}

export interface ComposeModel {
  name?: string;
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
  [extension: `x-${string}`]: unknown;
}

/** A Compose file as `docker compose` reads it: YAML with anchors and `<<` merge keys. */
export function readCompose(path: string): { source: string; model: ComposeModel } {
  const source = readFileSync(path, 'utf8');
  return { source, model: parse(source, { merge: true }) as ComposeModel };
}

/**
 * The Compose specification's JSON schema, as shipped in the dclint package (no download at run
 * time). Its `$schema` names draft-07 by a URL Ajv does not know, so it is left out.
 */
export function composeSchemaValidator(): (doc: unknown) => ErrorObject[] {
  const file = join(dirname(require.resolve('dclint/package.json')), 'schemas/compose.schema.json');
  const { $schema: _draft, ...schema } = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true });
  const validate = ajv.compile(schema);
  return (doc) => (validate(doc) ? [] : [...(validate.errors ?? [])]);
}

export function environmentOf(service: Service): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env))
    return Object.fromEntries(
      env.map((e) => {
        const at = e.indexOf('=');
        return at < 0 ? [e, ''] : [e.slice(0, at), e.slice(at + 1)];
      }),
    );
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

export interface Mount {
  source: string;
  target: string;
  /** A named volume of the file (not a host path). */
  named: boolean;
}

export function mountsOf(service: Service, model: ComposeModel): Mount[] {
  return (service.volumes ?? []).map((v) => {
    const [source = '', target = ''] =
      typeof v === 'string' ? v.split(':') : [v.source ?? '', v.target ?? ''];
    const named = Object.prototype.hasOwnProperty.call(model.volumes ?? {}, source);
    return { source, target, named };
  });
}

export function dependenciesOf(service: Service): Record<string, { condition?: string }> {
  const deps = service.depends_on ?? {};
  return Array.isArray(deps) ? Object.fromEntries(deps.map((d) => [d, {}])) : deps;
}
