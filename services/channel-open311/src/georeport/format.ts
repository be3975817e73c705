import type { Response } from 'express';

/**
 * GeoReport v2 answers in XML (required by the spec) or JSON, chosen by the resource's suffix:
 * `requests.json`, `requests/ABC.xml`. Without a suffix the answer is XML, the spec's default.
 */
export type Format = 'xml' | 'json';

export class UnknownFormat extends Error {
  constructor(readonly suffix: string) {
    super(`format "${suffix.slice(0, 10)}" is not offered: end the resource with .json or .xml`);
  }
}

/** Splits `name.json` into the name and its format; a suffix other than json / xml is refused. */
export function splitFormat(resource: string): { name: string; format: Format } {
  const dot = resource.lastIndexOf('.');
  if (dot < 0) return { name: resource, format: 'xml' };
  const suffix = resource.slice(dot + 1).toLowerCase();
  if (suffix !== 'json' && suffix !== 'xml') throw new UnknownFormat(suffix);
  return { name: resource.slice(0, dot), format: suffix };
}

/** The format a path asks for, for an answer written before the route knows it (errors). */
export function formatOfPath(path: string): Format {
  return /\.json$/i.test(path) ? 'json' : 'xml';
}

type Value = string | number | boolean | null | undefined | Value[] | { [key: string]: Value };

/** The element name of one item in each list the spec names (a list of `endpoints` holds `endpoint`s). */
const ITEM: Record<string, string> = {
  endpoints: 'endpoint',
  formats: 'format',
  attributes: 'attribute',
  values: 'value',
};

function escape(text: string): string {
  // Characters XML 1.0 cannot carry at all are dropped; the five specials are escaped.
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function element(name: string, value: Value): string {
  if (value === null || value === undefined) return `<${name}/>`;
  if (Array.isArray(value)) {
    const item = ITEM[name] ?? name;
    return `<${name}>${value.map((v) => element(item, v)).join('')}</${name}>`;
  }
  if (typeof value === 'object')
    return `<${name}>${Object.entries(value)
      .map(([k, v]) => element(k, v))
      .join('')}</${name}>`;
  return `<${name}>${escape(String(value))}</${name}>`;
}

/**
 * `items` as the spec writes them: in JSON the bare array (or object), in XML a root element
 * holding one `item` element per entry, with the UTF-8 declaration the spec asks for.
 */
export function render(
  format: Format,
  root: string,
  item: string | null,
  body: Value[] | { [key: string]: Value },
): { contentType: string; text: string } {
  if (format === 'json')
    return { contentType: 'application/json; charset=utf-8', text: JSON.stringify(body) };
  const inner = Array.isArray(body)
    ? body.map((v) => element(item ?? root, v)).join('')
    : Object.entries(body)
        .map(([k, v]) => element(k, v))
        .join('');
  return {
    contentType: 'text/xml; charset=utf-8',
    text: `<?xml version="1.0" encoding="utf-8"?>\n<${root}>${inner}</${root}>`,
  };
}

export function send(
  res: Response,
  format: Format,
  root: string,
  item: string | null,
  body: Value[] | { [key: string]: Value },
  status = 200,
): void {
  const { contentType, text } = render(format, root, item, body);
  res.status(status).setHeader('Content-Type', contentType);
  // Public data without credentials: a civic web app may read it from the browser.
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.send(text);
}

/** The spec's error shape: a list of {code, description}, in the asked format. */
export function sendError(res: Response, format: Format, status: number, description: string): void {
  send(res, format, 'errors', 'error', [{ code: status, description }], status);
}

export type { Value as RenderValue };
