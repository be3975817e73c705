import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';

const ERROR_NAMES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  428: 'Precondition Required',
  429: 'Too Many Requests',
};

const DEFAULT_CODES: Record<number, string> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
};

/** An officer API error: a status, a stable code the console can switch on, and a message. */
export class ApiError extends HttpException {
  constructor(status: number, code: string, message: string, extra: Record<string, unknown> = {}) {
    super({ statusCode: status, error: ERROR_NAMES[status] ?? 'Error', code, message, ...extra }, status);
  }
}

/** Gives every error of the officer API the documented shape, including Nest's and multer's own. */
@Catch(HttpException)
export class ApiErrorFilter implements ExceptionFilter {
  catch(exception: HttpException, host: ArgumentsHost): void {
    const status = exception.getStatus();
    const body = exception.getResponse();
    const res = host.switchToHttp().getResponse<Response>();
    if (typeof body === 'object' && body !== null && 'code' in body) {
      res.status(status).json(body);
      return;
    }
    const message =
      typeof body === 'string'
        ? body
        : Array.isArray((body as { message?: unknown }).message)
          ? (body as { message: string[] }).message.join('; ')
          : String((body as { message?: unknown }).message ?? exception.message);
    res.status(status).json({
      statusCode: status,
      error: ERROR_NAMES[status] ?? 'Error',
      code: DEFAULT_CODES[status] ?? 'ERROR',
      message,
    });
  }
}
