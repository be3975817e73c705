import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestLoggerAdapter, type Logger } from '@aduan/platform';
import express, { type NextFunction, type Request, type Response } from 'express';

export interface WebhookHttpOptions {
  logger: Logger;
  /**
   * Path prefixes whose bodies reach the handler as the raw bytes (a Buffer), whatever their
   * content type: signatures are computed over exactly those bytes, so nothing may parse them first.
   */
  rawBodyPaths: string[];
  /** Largest raw webhook body (413 above it). */
  rawLimit?: string;
  /** Largest JSON body on every other path. */
  jsonLimit?: string;
}

interface BodyParserError extends Error {
  type?: string;
  limit?: number;
}

function bodyErrorHandler(err: BodyParserError, _req: Request, res: Response, next: NextFunction): void {
  const answer = (statusCode: number, error: string, message: string) => void res.status(statusCode).json({ statusCode, error, message });
  switch (err.type) {
    case 'entity.parse.failed':
      return answer(400, 'Bad Request', `request body is not valid JSON: ${err.message}`);
    case 'entity.too.large':
      return answer(413, 'Payload Too Large', `request body is larger than the limit of ${err.limit} bytes`);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return answer(415, 'Unsupported Media Type', err.message);
    case 'request.aborted':
      return answer(400, 'Bad Request', 'request was aborted by the client');
    default:
      return next(err);
  }
}

/**
 * Like `createHttpApp` from @aduan/platform, but the webhook paths keep their raw body. The
 * platform's app installs its JSON parser first, which would consume the stream before a
 * signature could be checked over it.
 */
export async function createWebhookHttpApp(module: unknown, opts: WebhookHttpOptions): Promise<INestApplication> {
  const app = await NestFactory.create(module as never, {
    bodyParser: false,
    logger: new NestLoggerAdapter(opts.logger.child({ component: 'nest' })),
    abortOnError: false,
  });
  for (const path of opts.rawBodyPaths) app.use(path, express.raw({ type: () => true, limit: opts.rawLimit ?? '1mb' }));
  app.use(express.json({ limit: opts.jsonLimit ?? '1mb', type: ['application/json', 'application/*+json'] }));
  app.use(bodyErrorHandler);
  app.enableShutdownHooks();
  return app;
}

/** The raw bytes a webhook route received, or an empty buffer when there was no body. */
export function rawBodyOf(body: unknown): Buffer {
  return Buffer.isBuffer(body) ? body : Buffer.alloc(0);
}
