import type { Request, Response } from 'express';

/**
 * What a proxied feature answers while its service is not configured: a 503 naming the setting,
 * so that its page can say it is off instead of meeting a 404.
 */
export function featureOff(code: string, message: string): (req: Request, res: Response) => void {
  return (_req, res) => {
    res.status(503).setHeader('Cache-Control', 'no-store');
    res.json({ statusCode: 503, error: 'Service Unavailable', code, message });
  };
}
