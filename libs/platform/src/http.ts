import { STATUS_CODES } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import express, { type NextFunction, type Request, type Response } from 'express';
import { jsonDeeperThan, JsonTooDeep, MAX_JSON_DEPTH, withoutNulReviver } from './json-input';
import { NestLoggerAdapter, type Logger } from './logger';
import { traceRequests } from './tracing';

export interface HttpOptions {
  logger: Logger;
  /** Names the server spans of each request (the tracer scope); unset: requests are not traced. */
  service?: string;
  /** Largest JSON body accepted; larger bodies get 413. */
  jsonLimit?: string;
  /**
   * Path prefixes whose bodies reach the handler as raw bytes (a Buffer), whatever their
   * content type: webhook signatures are computed over exactly those bytes, so nothing may
   * parse them first.
   */
  rawBodyPaths?: string[];
  /** Largest raw body on those paths. */
  rawLimit?: string;
  /** Requests that write taken in at once; past it they are refused at arrival (see `admitRequests`). */
  admission?: Admission;
}

export interface Admission {
  /** Requests in hand at most (0: no limit). */
  maxInHand: number;
  /** Called for each refusal (a metric). */
  refused?: () => void;
}

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Counts each request that writes (not GET, HEAD or OPTIONS) from its arrival until its answer is
 * sent or its client goes, and answers past `maxInHand` with 503 and `Retry-After: 1` before its
 * body is read. Everything a request waits for on its way to Kafka (its rate-limit count, its
 * Idempotency-Key, the books) holds the request, its body and its promises in memory; counted
 * only at the publish, a flood piled them up in those queues until the heap ran out (ADR 0081).
 * Reads (health, metrics, a report's status) are never refused here.
 */
export function admitRequests({ maxInHand, refused }: Admission) {
  let inHand = 0;
  return (req: Request, res: Response, next: NextFunction): void => {
    if (maxInHand <= 0 || READS.has(req.method)) return next();
    if (inHand >= maxInHand) {
      refused?.();
      res.setHeader('Retry-After', '1');
      res.status(503).json({
        statusCode: 503,
        error: 'Service Unavailable',
        message: `intake is busy: ${maxInHand} requests are already being taken in; send again in a moment`,
      });
      return;
    }
    inHand++;
    // 'close' comes once the answer is sent or the connection is gone, whichever is first.
    res.once('close', () => inHand--);
    next();
  };
}

interface BodyParserError extends Error {
  type?: string;
  status?: number;
  limit?: number;
}

/**
 * Body-parser failures happen before Nest's pipeline, so they are answered here, in the same
 * shape Nest uses for its own errors, naming the problem instead of an HTML stack page.
 */
function bodyErrorHandler(err: BodyParserError, _req: Request, res: Response, next: NextFunction): void {
  const answer = (statusCode: number, error: string, message: string) =>
    void res.status(statusCode).json({ statusCode, error, message });
  switch (err.type) {
    case 'entity.parse.failed':
      return answer(400, 'Bad Request', `request body is not valid JSON: ${err.message}`);
    case 'entity.too.deep':
      return answer(400, 'Bad Request', err.message);
    case 'entity.too.large':
      return answer(413, 'Payload Too Large', `request body is larger than the limit of ${err.limit} bytes`);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return answer(415, 'Unsupported Media Type', err.message);
    case 'request.aborted':
      return answer(400, 'Bad Request', 'request was aborted by the client');
    default:
      // Any other refusal of the body by the parser (a gzip body that is not gzip, …) is the client's.
      if (typeof err.status === 'number' && err.status >= 400 && err.status < 500)
        return answer(
          err.status,
          STATUS_CODES[err.status] ?? 'Error',
          `request body could not be read: ${err.message}`,
        );
      return next(err);
  }
}

/** Builds the Nest app with the shared logger, JSON limits and shutdown hooks; the caller listens. */
export async function createHttpApp(module: unknown, opts: HttpOptions): Promise<INestApplication> {
  const app = await NestFactory.create(module as never, {
    bodyParser: false,
    logger: new NestLoggerAdapter(opts.logger.child({ component: 'nest' })),
    abortOnError: false,
  });
  // First: a refused request costs no body parsing and holds nothing.
  if (opts.admission) app.use(admitRequests(opts.admission));
  for (const path of opts.rawBodyPaths ?? [])
    app.use(path, express.raw({ type: () => true, limit: opts.rawLimit ?? '1mb' }));
  // Not strict: a bare string or number parses, so the handler can say what it expected instead.
  app.use(
    express.json({
      limit: opts.jsonLimit ?? '1mb',
      strict: false,
      type: ['application/json', 'application/*+json'],
      reviver: withoutNulReviver,
      verify: (_req, _res, raw) => {
        if (jsonDeeperThan(raw, MAX_JSON_DEPTH)) throw new JsonTooDeep(MAX_JSON_DEPTH);
      },
    }),
  );
  app.use(bodyErrorHandler);
  // After the body parsers: they call next() from the socket's callbacks, outside any context
  // set before them, and the handler must run inside the request's span.
  if (opts.service) app.use(traceRequests(opts.service));
  // No app.enableShutdownHooks(): runService owns SIGTERM and closes the app in its order
  // (consumers commit first). Nest's hook re-raises the signal once the app is closed, which
  // ended the process before the rest of the stop and the last spans went out.
  return app;
}
