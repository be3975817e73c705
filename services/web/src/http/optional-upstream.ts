import type { Request, Response } from 'express';
import { featureOff } from './feature-off';
import { statusProxy, type StatusProxyOptions } from './status-proxy';

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
