import type { Request, Response } from 'express';

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
