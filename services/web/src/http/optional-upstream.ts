import type { Request, Response } from 'express';
import { statusProxy, type StatusProxyOptions } from './status-proxy';

/**
 * The answer of a proxied feature whose upstream URL is not set: a 503 that names the setting,
 * so the page tells the officer the feature is off rather than meeting a 404.
 */
export function featureOff(code: string, message: string): (req: Request, res: Response) => void {
  return (_req, res) => {
    res.status(503).setHeader('Cache-Control', 'no-store');
    res.json({ statusCode: 503, error: 'Service Unavailable', code, message });
  };
}

/** Another service's officer API behind the status proxy's rules, or `off` while its URL is unset. */
export function optionalUpstream(
  opts: Omit<StatusProxyOptions, 'baseUrl' | 'upstream'> & {
    baseUrl: string | undefined;
    off: { code: string; message: string };
    upstream: NonNullable<StatusProxyOptions['upstream']>;
  },
): (req: Request, res: Response) => void {
  const { baseUrl, off, ...rest } = opts;
  return baseUrl ? statusProxy({ ...rest, baseUrl }) : featureOff(off.code, off.message);
}
