import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Inject } from '@nestjs/common';
import { StatusUnavailable } from '@aduan/channel-sdk';
import type { Request, Response } from 'express';
import { KeyRefused } from './client-keys';
import { formatOfPath, sendError, UnknownFormat } from './format';
import { FormRefused } from './request-form';

export const ERROR_LOG = Symbol('ERROR_LOG');

/** What the filter logs with: the adapter's logger. */
export interface ErrorLog {
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

function describe(err: HttpException): string {
  const body = err.getResponse();
  if (typeof body === 'string') return body;
  const message = (body as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : err.message;
}

/**
 * Every refusal under /open311/v2 in the spec's shape, `[{code, description}]` or
 * `<errors><error>…`, in the format the path asked for, with its 4xx (or 503) status.
 */
@Catch()
export class GeoReportErrors implements ExceptionFilter {
  constructor(@Inject(ERROR_LOG) private readonly log: ErrorLog) {}

  catch(err: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    const format = formatOfPath(req.path);
    if (err instanceof UnknownFormat) return sendError(res, 'json', 400, err.message);
    if (err instanceof FormRefused) return sendError(res, format, 400, err.message);
    if (err instanceof KeyRefused) return sendError(res, format, err.status, err.message);
    if (err instanceof StatusUnavailable) {
      this.log.warn('status service unavailable', { error: err.message });
      res.setHeader('Retry-After', '30');
      return sendError(res, format, 503, 'request lists are unavailable right now; try again shortly');
    }
    if (err instanceof HttpException) {
      const retry = err.getStatus() === 503 ? res.getHeader('Retry-After') : undefined;
      if (retry === undefined && err.getStatus() === 503) res.setHeader('Retry-After', '30');
      return sendError(res, format, err.getStatus(), describe(err));
    }
    this.log.error('request failed', { error: err instanceof Error ? err.message : String(err) });
    return sendError(res, format, 500, 'the request could not be handled; try again later');
  }
}
