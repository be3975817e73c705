/**
 * Variable interpolation as the Compose specification defines it ("Interpolation"), enough to
 * check without a Docker engine what `docker compose up` does with docker-compose.yml:
 *
 *   $VAR, ${VAR}          the value, or "" when unset
 *   ${VAR:-default}       default when VAR is unset or empty;   ${VAR-default}: only when unset
 *   ${VAR:?message}       an error naming VAR when unset or empty; ${VAR?message}: only when unset
 *   ${VAR:+replacement}   replacement when VAR is set and not empty; ${VAR+replacement}: when set
 *   $$                    a literal $
 *
 * A default or replacement may itself hold ${…}. A `$` followed by anything else is an invalid
 * template, as in Compose. Only values are interpolated, never keys.
 */

export type Environment = Readonly<Record<string, string | undefined>>;

/** A required variable (`${VAR:?message}`) was missing: `docker compose` stops with this. */
export class MissingVariableError extends Error {
  constructor(
    readonly variable: string,
    readonly detail: string,
  ) {
    super(`required variable ${variable} is missing a value${detail ? `: ${detail}` : ''}`);
    this.name = 'MissingVariableError';
  }
}

export class InvalidTemplateError extends Error {
  constructor(readonly template: string) {
    super(`invalid interpolation format: "${template}"`);
    this.name = 'InvalidTemplateError';
  }
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

/** Index of the `}` that closes the `${` starting at `open`; nested `${…}` count, bare `{` do not. */
function closingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text.startsWith('${', i)) {
      depth++;
      i++;
    } else if (text[i] === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

function substitute(inner: string, env: Environment, template: string): string {
  const name = NAME.exec(inner)?.[0];
  if (!name) throw new InvalidTemplateError(template);
  const rest = inner.slice(name.length);
  const value = env[name];
  const unset = value === undefined;
  const empty = unset || value === '';
  if (rest === '') return value ?? '';
  const op = /^(:-|-|:\?|\?|:\+|\+)/.exec(rest)?.[0];
  if (!op) throw new InvalidTemplateError(template);
  const arg = rest.slice(op.length);
  switch (op) {
    case ':-':
      return empty ? interpolate(arg, env) : value!;
    case '-':
      return unset ? interpolate(arg, env) : value!;
    case ':?':
      if (empty) throw new MissingVariableError(name, arg);
      return value!;
    case '?':
      if (unset) throw new MissingVariableError(name, arg);
      return value!;
    case ':+':
      return empty ? '' : interpolate(arg, env);
    default: // '+'
      return unset ? '' : interpolate(arg, env);
  }
}

/** One string, interpolated; throws the first problem as `docker compose` does. */
export function interpolate(text: string, env: Environment): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const dollar = text.indexOf('$', i);
    if (dollar < 0) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, dollar);
    const next = text[dollar + 1];
    if (next === '$') {
      out += '$';
      i = dollar + 2;
    } else if (next === '{') {
      const close = closingBrace(text, dollar);
      if (close < 0) throw new InvalidTemplateError(text.slice(dollar));
      out += substitute(text.slice(dollar + 2, close), env, text.slice(dollar, close + 1));
      i = close + 1;
    } else {
      const name = NAME.exec(text.slice(dollar + 1))?.[0];
      if (!name) throw new InvalidTemplateError(text.slice(dollar, dollar + 2));
      out += env[name] ?? '';
      i = dollar + 1 + name.length;
    }
  }
  return out;
}

export interface TreeResult<T> {
  value: T;
  /** Every string that failed, each with its own error (Compose itself stops at the first). */
  errors: Array<{ path: string; error: Error }>;
}

/** Every string value of a parsed Compose file, interpolated; keys stay as written. */
export function interpolateTree<T>(tree: T, env: Environment): TreeResult<T> {
  const errors: TreeResult<T>['errors'] = [];
  const walk = (node: unknown, path: string): unknown => {
    if (typeof node === 'string') {
      try {
        return interpolate(node, env);
      } catch (error) {
        errors.push({ path, error: error as Error });
        return node;
      }
    }
    if (Array.isArray(node)) return node.map((v, i) => walk(v, `${path}[${i}]`));
    if (node && typeof node === 'object')
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v, `${path}.${k}`)]));
    return node;
  };
  return { value: walk(tree, '') as T, errors };
}
