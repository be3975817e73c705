import { ApiError } from './api-error';

/** A JSON body as it arrives: nothing about it is trusted until a reader below accepted it. */
export type Body = Record<string, unknown>;

export function asBody(raw: unknown): Body {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw))
    throw new ApiError(400, 'VALIDATION_FAILED', 'request body must be a JSON object');
  return raw as Body;
}

function invalid(problem: string): never {
  throw new ApiError(400, 'VALIDATION_FAILED', problem, { problems: [problem] });
}

export function text(body: Body, name: string, opts: { required: true; max?: number; min?: number }): string;
export function text(
  body: Body,
  name: string,
  opts?: { required?: false; max?: number; min?: number },
): string | undefined;
export function text(
  body: Body,
  name: string,
  opts: { required?: boolean; max?: number; min?: number } = {},
): string | undefined {
  const v = body[name];
  if (v === undefined || v === null || v === '') {
    if (opts.required) invalid(`${name} is required`);
    return undefined;
  }
  if (typeof v !== 'string') invalid(`${name} must be a string`);
  const trimmed = v.trim();
  if (opts.required && !trimmed) invalid(`${name} is required`);
  if (trimmed.length < (opts.min ?? 0)) invalid(`${name} must be at least ${opts.min} characters`);
  if (trimmed.length > (opts.max ?? 4000)) invalid(`${name} must be at most ${opts.max ?? 4000} characters`);
  return trimmed;
}

export function integer(
  body: Body,
  name: string,
  opts: { min?: number; max?: number } = {},
): number | undefined {
  const v = body[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) invalid(`${name} must be a whole number`);
  if (opts.min !== undefined && v < opts.min) invalid(`${name} must be at least ${opts.min}`);
  if (opts.max !== undefined && v > opts.max) invalid(`${name} must be at most ${opts.max}`);
  return v;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(v: unknown): v is string {
  return typeof v === 'string' && UUID.test(v);
}

export function uuidParam(v: string, name = 'id'): string {
  if (!isUuid(v))
    throw new ApiError(404, 'NOT_FOUND', `no ${name === 'id' ? 'report' : name} ${String(v).slice(0, 40)}`);
  return v.toLowerCase();
}

export function uuidList(body: Body, name: string): string[] {
  const v = body[name];
  if (v === undefined) return [];
  if (!Array.isArray(v) || !v.every(isUuid)) invalid(`${name} must be a list of ids`);
  if (v.length > 20) invalid(`${name} may hold at most 20 ids`);
  return (v as string[]).map((s) => s.toLowerCase());
}

export function optionalUuid(body: Body, name: string): string | undefined {
  const v = body[name];
  if (v === undefined || v === null) return undefined;
  if (!isUuid(v)) invalid(`${name} must be a UUID`);
  return v.toLowerCase();
}

/** The version the officer saw: `If-Match: "5"` (or W/"5") wins over `version` in the body. */
export function expectedVersion(ifMatch: string | undefined, body: Body): number {
  if (ifMatch !== undefined) {
    const m = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(ifMatch);
    if (!m) invalid('If-Match must be the report version, e.g. "5"');
    return Number(m[1]);
  }
  const v = integer(body, 'version', { min: 1 });
  if (v === undefined)
    throw new ApiError(
      428,
      'VERSION_REQUIRED',
      'send the report version you acted on, as If-Match or as "version" in the body',
    );
  return v;
}
