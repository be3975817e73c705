import type { Logger, Metrics } from '@aduan/platform';
import type { Request, Response } from 'express';
import { optionalUpstream } from './optional-upstream';

/** The pairing state and the QR code image, nothing else of channel-whatsapp. */
const PAIRING_PATH = /^\/v1\/officer\/whatsapp\/pairing(\/qr\.svg)?(\?|$)/;

/**
 * `/api/whatsapp/*` → channel-whatsapp's pairing API for the console's WhatsApp page; the adapter
 * checks the officer token itself (administrators only). Without `WHATSAPP_BASE_URL` the page is
 * told the feature is off rather than meeting a 404.
 */
export function whatsappPairingProxy(opts: {
  baseUrl: string | undefined;
  timeoutMs: number;
  logger: Logger;
  metrics: Metrics;
}): (req: Request, res: Response) => void {
  return optionalUpstream({
    ...opts,
    off: {
      code: 'WHATSAPP_PAIRING_OFF',
      message: 'WhatsApp pairing is off: WHATSAPP_BASE_URL is not set on the web service',
    },
    // Only GETs pass: nothing is uploaded here.
    maxBodyBytes: 1024,
    upstream: {
      name: 'channel-whatsapp',
      metric: 'whatsapp',
      allowedPath: PAIRING_PATH,
      served: 'only /api/whatsapp/v1/officer/whatsapp/pairing and …/pairing/qr.svg are served here',
    },
  });
}
